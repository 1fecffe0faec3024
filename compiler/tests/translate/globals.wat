;; Defined globals live inline in vmctx; imported ones behind a pointer. Immutable globals
;; are read with `readonly` loads.
(module
  (import "env" "counter" (global $counter (mut i64)))
  (import "env" "scale" (global $scale f32))
  (global $limit i32 (i32.const 10))
  (global $total (mut f64) (f64.const 0))
  (func $bump (export "bump") (param $x f32) (result i32)
    (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
    (global.set $total (f64.promote_f32 (f32.mul (global.get $scale) (local.get $x))))
    (global.get $limit))
)
;; ---- expected IR ----
;; function %bump(i64, f32) -> i32 {
;; block0(v0: i64, v1: f32):
;;     v3 = load_ptr.i64 readonly v0, +112 @0x56
;;     v4 = load_ptr.i64 v3, +0 @0x56
;;     v5 = iconst.i64 1 @0x58
;;     v6 = iadd.i64 v4, v5 @0x5a
;;     v7 = load_ptr.i64 readonly v0, +112 @0x5b
;;     store_ptr.i64 v7, +0, v6 @0x5b
;;     v8 = load_ptr.i64 readonly v0, +128 @0x5d
;;     v9 = load_ptr.f32 readonly v8, +0 @0x5d
;;     v10 = fmul.f32 v9, v1 @0x61
;;     v11 = fpromote.f32.f64 v10 @0x62
;;     store_ptr.f64 v0, +160, v11 @0x63
;;     v12 = load_ptr.i32 readonly v0, +144 @0x65
;;     return v12 @0x67
;; }
;; function %bump_array_call(i64, i64) {
;;     sig0 = (i64, f32) -> i32
;; block0(v0: i64, v1: i64):
;;     v2 = load_ptr.f32 v1, +0
;;     v3 = call fn0 sig0(v0, v2)
;;     store_ptr.i32 v1, +0, v3
;;     return
;; }
