;; Table instructions, reference values and typed select.
(module
  (table $t 1 10 funcref)
  (table $e 2 externref)
  (elem $seg func $f)
  (func $f (export "f") (param $x externref) (param $i i32) (result i32)
    (table.set $t (local.get $i) (ref.func $f))
    (drop (table.grow $t (ref.null func) (i32.const 2)))
    (table.fill $e (i32.const 0) (local.get $x) (i32.const 2))
    (table.copy $t $t (i32.const 0) (i32.const 0) (i32.const 1))
    (table.init $t $seg (i32.const 0) (i32.const 0) (i32.const 1))
    (elem.drop $seg)
    (drop (select (result externref) (local.get $x) (table.get $e (i32.const 1)) (local.get $i)))
    (i32.add (table.size $t) (ref.is_null (local.get $x))))
)
;; ---- expected IR ----
;; function %f(i64, ref, i32) -> i32 {
;; block0(v0: i64, v1: ref, v2: i32):
;;     v4 = iconst.i32 0 @0x34
;;     v5 = call_rt ref_func(v0, v4) @0x34
;;     v6 = iconst.i32 0 @0x36
;;     call_rt table_set(v0, v6, v2, v5) @0x36
;;     v7 = ref_null @0x38
;;     v8 = iconst.i32 2 @0x3a
;;     v9 = iconst.i32 0 @0x3c
;;     v10 = call_rt table_grow(v0, v9, v7, v8) @0x3c
;;     v11 = iconst.i32 0 @0x40
;;     v12 = iconst.i32 2 @0x44
;;     v13 = iconst.i32 1 @0x46
;;     call_rt table_fill(v0, v13, v11, v1, v12) @0x46
;;     v14 = iconst.i32 0 @0x49
;;     v15 = iconst.i32 0 @0x4b
;;     v16 = iconst.i32 1 @0x4d
;;     v17 = iconst.i32 0 @0x4f
;;     v18 = iconst.i32 0 @0x4f
;;     call_rt table_copy(v0, v17, v18, v14, v15, v16) @0x4f
;;     v19 = iconst.i32 0 @0x53
;;     v20 = iconst.i32 0 @0x55
;;     v21 = iconst.i32 1 @0x57
;;     v22 = iconst.i32 0 @0x59
;;     v23 = iconst.i32 0 @0x59
;;     call_rt table_init(v0, v22, v23, v19, v20, v21) @0x59
;;     v24 = iconst.i32 0 @0x5d
;;     call_rt elem_drop(v0, v24) @0x5d
;;     v25 = iconst.i32 1 @0x62
;;     v26 = iconst.i32 1 @0x64
;;     v27 = call_rt table_get(v0, v26, v25) @0x64
;;     v28 = select.ref v2, v1, v27 @0x68
;;     v29 = iconst.i32 0 @0x6c
;;     v30 = call_rt table_size(v0, v29) @0x6c
;;     v31 = is_null v1 @0x71
;;     v32 = iadd.i32 v30, v31 @0x72
;;     return v32 @0x73
;; }
;; function %f_array_call(i64, i64) {
;;     sig0 = (i64, ref, i32) -> i32
;; block0(v0: i64, v1: i64):
;;     v2 = load_ptr.ref v1, +0
;;     v3 = load_ptr.i32 v1, +16
;;     v4 = call fn0 sig0(v0, v2, v3)
;;     store_ptr.i32 v1, +0, v4
;;     return
;; }
