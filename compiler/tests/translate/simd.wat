;; SIMD memory accesses are scalar loads and stores combined with vector operations: a splat
;; load splats a scalar load, a zero-extending load puts it in lane 0, a widening load
;; extends a 64-bit load, lane loads replace a lane and lane stores extract one. Full-width
;; accesses are `v128` loads and stores; v128 locals, constants and select work as for any type.
(module
  (memory 1)
  (func $loads (export "loads") (param $a i32) (param $v v128) (result v128)
    (local $t v128)
    (local.set $t (v128.load offset=16 (local.get $a)))
    (local.set $t (i8x16.add (local.get $t) (v128.load8_splat (local.get $a))))
    (local.set $t (i16x8.add (local.get $t) (v128.load16x4_s (local.get $a))))
    (local.set $t (v128.or (local.get $t) (v128.load64_zero (local.get $a))))
    (local.set $t (v128.load32_lane 3 (local.get $a) (local.get $t)))
    (select (local.get $t) (v128.const i32x4 1 2 3 4) (local.get $a)))
  (func $stores (param $a i32) (param $v v128)
    (v128.store align=1 (local.get $a) (local.get $v))
    (v128.store8_lane 15 (local.get $a) (local.get $v))
    (v128.store64_lane offset=8 1 (local.get $a) (local.get $v)))
  (func $lanes (param $v v128) (result i32 f64)
    (i32.add
      (i8x16.extract_lane_s 1 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v) (local.get $v)))
      (i32x4.all_true (local.get $v)))
    (f64x2.extract_lane 1 (f64x2.splat (f64.const 1.5))))
)
;; ---- expected IR ----
;; function %loads(i64, i32, v128) -> v128 {
;; block0(v0: i64, v1: i32, v2: v128):
;;     v4 = load_ptr.i64 readonly v0, +0
;;     v5 = load.v128 v4, v1, +16 @0x3c
;;     v6 = load8_u.i32 v4, v1, +0 @0x46
;;     v7 = simd.i8x16.splat v6 @0x46
;;     v8 = simd.i8x16.add v5, v7 @0x4a
;;     v9 = load.i64 v4, v1, +0 @0x52
;;     v10 = simd.i64x2.scalar_to_vector v9 @0x52
;;     v11 = simd.i32x4.extend_low_i16x8_s v10 @0x52
;;     v12 = simd.i16x8.add v8, v11 @0x56
;;     v13 = load.i64 v4, v1, +0 @0x5f
;;     v14 = simd.i64x2.scalar_to_vector v13 @0x5f
;;     v15 = simd.v128.or v12, v14 @0x63
;;     v16 = load.i32 v4, v1, +0 @0x6b
;;     v17 = simd.i32x4.replace_lane [3] v15, v16 @0x6b
;;     v18 = v128const 0x00000004000000030000000200000001 @0x74
;;     v19 = select.v128 v1, v17, v18 @0x88
;;     return v19 @0x89
;; }
;; function %stores(i64, i32, v128) {
;; block0(v0: i64, v1: i32, v2: v128):
;;     v3 = load_ptr.i64 readonly v0, +0
;;     store.v128 v3, v1, +0, v2 @0x90
;;     v4 = simd.i8x16.extract_lane_u [15] v2 @0x98
;;     store8.i32 v3, v1, +0, v4 @0x98
;;     v5 = simd.i64x2.extract_lane [1] v2 @0xa1
;;     store.i64 v3, v1, +8, v5 @0xa1
;;     return @0xa6
;; }
;; function %lanes(i64, v128) -> (i32, f64) {
;; block0(v0: i64, v1: v128):
;;     v4 = simd.i8x16.shuffle [0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23] v1, v1 @0xad
;;     v5 = simd.i8x16.extract_lane_s [1] v4 @0xbf
;;     v6 = simd.i32x4.all_true v1 @0xc4
;;     v7 = iadd.i32 v5, v6 @0xc7
;;     v8 = f64const 0x3ff8000000000000 @0xc8
;;     v9 = simd.f64x2.splat v8 @0xd1
;;     v10 = simd.f64x2.extract_lane [1] v9 @0xd3
;;     return v7, v10 @0xd6
;; }
;; function %loads_array_call(i64, i64) {
;;     sig0 = (i64, i32, v128) -> v128
;; block0(v0: i64, v1: i64):
;;     v2 = load_ptr.i32 v1, +0
;;     v3 = load_ptr.v128 v1, +16
;;     v4 = call fn0 sig0(v0, v2, v3)
;;     store_ptr.v128 v1, +0, v4
;;     return
;; }
