;; `br_table` goes through one edge block per distinct label, which passes the arguments. A table
;; of more than three entries is a jump table; a shorter one, a chain of compares.
(module
  (func $classify (export "classify") (param $i i32) (result i32)
    (block $c (result i32)
      (block $b (result i32)
        (block $a (result i32)
          (i32.const 100)
          (local.get $i)
          (br_table $a $b $a $b $c))
        (i32.const 1)
        (i32.add)
        (br $c))
      (i32.const 2)
      (i32.add)))

;; Two entries: compared with 0, then 1, else the default.
  (func $pick (param $i i32) (result i32)
    (block $b
      (block $a
        (br_table $a $b 1 (local.get $i)))
      (return (i32.const 10)))
    (i32.const 20))

  ;; A br_table straight to the function's label returns.
  (func $ret (param $i i32) (result i32)
    (i32.const 5)
    (local.get $i)
    (br_table 0 0))
)
;; ---- expected IR ----
;; function %classify(i64, i32) -> i32 {
;; block0(v0: i64, v1: i32):
;;     v6 = iconst.i32 100 @0x2f
;;     br_table v1, [block5, block6, block5, block6], block7 @0x34
;; block5:
;;     jump block4 @0x34
;; block6:
;;     jump block3 @0x34
;; block7:
;;     jump block2(v6) @0x34
;; block4:
;;     v7 = iconst.i32 1 @0x3c
;;     v8 = iadd.i32 v6, v7 @0x3e
;;     jump block2(v8) @0x3f
;; block3:
;;     v9 = iconst.i32 2 @0x42
;;     v10 = iadd.i32 v6, v9 @0x44
;;     jump block2(v10) @0x45
;; block2(v3: i32):
;;     return v3 @0x46
;; }
;; function %pick(i64, i32) -> i32 {
;; block0(v0: i64, v1: i32):
;;     v3 = iconst.i32 0 @0x4f
;;     v4 = icmp.i32 eq v1, v3 @0x4f
;;     brif v4, block4, block5 @0x4f
;; block5:
;;     v5 = iconst.i32 1 @0x4f
;;     v6 = icmp.i32 eq v1, v5 @0x4f
;;     brif v6, block6, block6 @0x4f
;; block4:
;;     jump block3 @0x4f
;; block6:
;;     jump block2 @0x4f
;; block3:
;;     v7 = iconst.i32 10 @0x55
;;     return v7 @0x57
;; block2:
;;     v8 = iconst.i32 20 @0x59
;;     return v8 @0x5b
;; }
;; function %ret(i64, i32) -> i32 {
;; block0(v0: i64, v1: i32):
;;     v3 = iconst.i32 5 @0x5e
;;     v4 = iconst.i32 0 @0x62
;;     v5 = icmp.i32 eq v1, v4 @0x62
;;     brif v5, block2, block2 @0x62
;; block2:
;;     return v3 @0x62
;; }
;; function %classify_array_call(i64, i64) {
;;     sig0 = (i64, i32) -> i32
;; block0(v0: i64, v1: i64):
;;     v2 = load_ptr.i32 v1, +0
;;     v3 = call fn0 sig0(v0, v2)
;;     store_ptr.i32 v1, +0, v3
;;     return
;; }
