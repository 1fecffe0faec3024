;; Locals live in SSA values: the loop header gets parameters only for the locals the loop
;; changes (`acc` and `n`), not for `unused`, which stays its initial zero.
(module
  (func $factorial (export "factorial") (param $n i64) (result i64)
    (local $acc i64) (local $unused i32)
    (local.set $acc (i64.const 1))
    (block $done
      (loop $again
        (br_if $done (i64.eqz (local.get $n)))
        (local.set $acc (i64.mul (local.get $acc) (local.get $n)))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $again)))
    (drop (local.get $unused))
    (local.get $acc))

  ;; A local read before any write is zero, of its type.
  (func $zeros (result f64)
    (local $x f64)
    (local.get $x))
)
;; ---- expected IR ----
;; function %factorial(i64, i64) -> i64 {
;; block0(v0: i64, v1: i64):
;;     v12 = iconst.i32 0
;;     v3 = iconst.i64 1 @0x31
;;     jump block3(v1, v3) @0x37
;; block3(v4: i64, v7: i64):
;;     v5 = iconst.i64 0 @0x3b
;;     v6 = icmp.i64 eq v4, v5 @0x3b
;;     brif v6, block2, block4 @0x3c
;; block4:
;;     v8 = imul.i64 v7, v4 @0x42
;;     v9 = iconst.i64 1 @0x47
;;     v10 = isub.i64 v4, v9 @0x49
;;     jump block3(v10, v8) @0x4c
;; block2:
;;     return v7 @0x55
;; }
;; function %zeros(i64) -> f64 {
;; block0(v0: i64):
;;     v2 = f64const 0x0000000000000000
;;     return v2 @0x5c
;; }
;; function %factorial_array_call(i64, i64) {
;;     sig0 = (i64, i64) -> i64
;; block0(v0: i64, v1: i64):
;;     v2 = load_ptr.i64 v1, +0
;;     v3 = call fn0 sig0(v0, v2)
;;     store_ptr.i64 v1, +0, v3
;;     return
;; }
