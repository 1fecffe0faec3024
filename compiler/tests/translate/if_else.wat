;; `if` with results joins in a block with parameters; without `else` the false edge goes
;; straight to the join with the `if`'s operands.
(module
  (func $max (export "max") (param $a i32) (param $b i32) (result i32)
    (if (result i32) (i32.gt_s (local.get $a) (local.get $b))
      (then (local.get $a))
      (else (local.get $b))))

  (func $add_if (param $c i32) (param $x i32) (result i32)
    (local.get $x)
    (if (param i32) (result i32) (local.get $c)
      (then (i32.add (i32.const 1)))))

  ;; Only the arm that writes `$y` makes it differ at the join.
  (func $local_join (param $c i32) (result i32)
    (local $y i32)
    (local.set $y (i32.const 7))
    (if (local.get $c) (then (local.set $y (i32.const 8))))
    (local.get $y))
)
;; ---- expected IR ----
;; function %max(i64, i32, i32) -> i32 {
;; block0(v0: i64, v1: i32, v2: i32):
;;     v4 = icmp.i32 sgt v1, v2 @0x2e
;;     brif v4, block3, block4 @0x2f
;; block3:
;;     jump block2(v1) @0x33
;; block4:
;;     jump block2(v2) @0x36
;; block2(v5: i32):
;;     return v5 @0x37
;; }
;; function %add_if(i64, i32, i32) -> i32 {
;; block0(v0: i64, v1: i32, v2: i32):
;;     brif v1, block3, block2(v2) @0x3e
;; block3:
;;     v5 = iconst.i32 1 @0x40
;;     v6 = iadd.i32 v2, v5 @0x42
;;     jump block2(v6) @0x43
;; block2(v4: i32):
;;     return v4 @0x44
;; }
;; function %local_join(i64, i32) -> i32 {
;; block0(v0: i64, v1: i32):
;;     v3 = iconst.i32 7 @0x49
;;     brif v1, block3, block2(v3) @0x4f
;; block3:
;;     v4 = iconst.i32 8 @0x51
;;     jump block2(v4) @0x55
;; block2(v5: i32):
;;     return v5 @0x58
;; }
;; function %max_array_call(i64, i64) {
;;     sig0 = (i64, i32, i32) -> i32
;; block0(v0: i64, v1: i64):
;;     v2 = load_ptr.i32 v1, +0
;;     v3 = load_ptr.i32 v1, +16
;;     v4 = call fn0 sig0(v0, v2, v3)
;;     store_ptr.i32 v1, +0, v4
;;     return
;; }
