;; `br_table` goes through one edge block per distinct label, which passes the arguments.
(module
  (func $classify (export "classify") (param $i i32) (result i32)
    (block $c (result i32)
      (block $b (result i32)
        (block $a (result i32)
          (i32.const 100)
          (local.get $i)
          (br_table $a $b $a $c))
        (i32.const 1)
        (i32.add)
        (br $c))
      (i32.const 2)
      (i32.add)))

  ;; A br_table straight to the function's label returns.
  (func $ret (param $i i32) (result i32)
    (i32.const 5)
    (local.get $i)
    (br_table 0 0))
)
;; ---- expected IR ----
;; function %classify(i64, i32) -> i32 {
;; block0(v0: i64, v1: i32):
;;     v6 = iconst.i32 100 @0x2e
;;     br_table v1, [block5, block6, block5], block7 @0x33
;; block5:
;;     jump block4 @0x33
;; block6:
;;     jump block3 @0x33
;; block7:
;;     jump block2(v6) @0x33
;; block4:
;;     v7 = iconst.i32 1 @0x3a
;;     v8 = iadd.i32 v6, v7 @0x3c
;;     jump block2(v8) @0x3d
;; block3:
;;     v9 = iconst.i32 2 @0x40
;;     v10 = iadd.i32 v6, v9 @0x42
;;     jump block2(v10) @0x43
;; block2(v3: i32):
;;     return v3 @0x44
;; }
;; function %ret(i64, i32) -> i32 {
;; block0(v0: i64, v1: i32):
;;     v3 = iconst.i32 5 @0x47
;;     br_table v1, [block2], block2 @0x4b
;; block2:
;;     return v3 @0x4b
;; }
;; function %classify_array_call(i64, i64) {
;;     sig0 = (i64, i32) -> i32
;; block0(v0: i64, v1: i64):
;;     v2 = load_ptr.i32 v1, +0
;;     v3 = call fn0 sig0(v0, v2)
;;     store_ptr.i32 v1, +0, v3
;;     return
;; }
