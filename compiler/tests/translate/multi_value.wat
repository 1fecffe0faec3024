;; Multi-value blocks, loops with parameters, and functions with several results.
(module
  (func $swap (param i32 i64) (result i64 i32)
    (local.get 1) (local.get 0))

  (func $sum_to (export "sum_to") (param $n i32) (result i32)
    ;; The loop carries (i, acc) as its parameters.
    (i32.const 0) (i32.const 0)
    (loop $l (param i32 i32) (result i32 i32)
      (call $step (local.get $n))
      (br_if $l))
    (drop))

  (func $step (param $i i32) (param $acc i32) (param $n i32) (result i32 i32 i32)
    (i32.add (local.get $i) (i32.const 1))
    (i32.add (local.get $acc) (local.get $i))
    (i32.lt_s (local.get $i) (local.get $n)))

  (func $use_swap (result i32)
    (call $swap (i32.const 1) (i64.const 2))
    (block (param i64 i32) (result i32)
      (i32.wrap_i64 (drop))))
)
;; ---- expected IR ----
;; function %swap(i64, i32, i64) -> (i64, i32) {
;; block0(v0: i64, v1: i32, v2: i64):
;;     return v2, v1 @0x4d
;; }
;; function %sum_to(i64, i32) -> i32 {
;;     sig0 = (i64, i32, i32, i32) -> (i32, i32, i32)
;; block0(v0: i64, v1: i32):
;;     v3 = iconst.i32 0 @0x50
;;     v4 = iconst.i32 0 @0x52
;;     jump block2(v3, v4) @0x54
;; block2(v5: i32, v6: i32):
;;     v8, v9, v10 = call fn2 sig0(v0, v5, v6, v1) @0x58
;;     brif v10, block2(v8, v9), block3 @0x5a
;; block3:
;;     return v8 @0x5e
;; }
;; function %step(i64, i32, i32, i32) -> (i32, i32, i32) {
;; block0(v0: i64, v1: i32, v2: i32, v3: i32):
;;     v7 = iconst.i32 1 @0x63
;;     v8 = iadd.i32 v1, v7 @0x65
;;     v9 = iadd.i32 v2, v1 @0x6a
;;     v10 = icmp.i32 slt v1, v3 @0x6f
;;     return v8, v9, v10 @0x70
;; }
;; function %use_swap(i64) -> i32 {
;;     sig0 = (i64, i32, i64) -> (i64, i32)
;; block0(v0: i64):
;;     v2 = iconst.i32 1 @0x73
;;     v3 = iconst.i64 2 @0x75
;;     v4, v5 = call fn0 sig0(v0, v2, v3) @0x77
;;     v7 = wrap.i64.i32 v4 @0x7c
;;     jump block2 @0x7d
;; block2:
;;     return v7 @0x7e
;; }
;; function %sum_to_array_call(i64, i64) {
;;     sig0 = (i64, i32) -> i32
;; block0(v0: i64, v1: i64):
;;     v2 = load_ptr.i32 v1, +0
;;     v3 = call fn1 sig0(v0, v2)
;;     store_ptr.i32 v1, +0, v3
;;     return
;; }
