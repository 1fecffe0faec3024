;; Loads and stores address memory through the heap base loaded once in the entry block;
;; memory.size reads the descriptor; the bulk operations call the runtime.
(module
  (memory 1 2)
  (data $d "hello")
  (func $copy_byte (export "copy_byte") (param $dst i32) (param $src i32) (result i32)
    (i32.store8 offset=1 (local.get $dst) (i32.load8_u offset=2 (local.get $src)))
    (i64.store32 (local.get $dst) (i64.load16_s (local.get $src)))
    (f64.store (i32.const 8) (f64.load align=4 (local.get $src)))
    (i32.load (local.get $dst)))
  (func $bulk (param $n i32) (result i32)
    (memory.fill (i32.const 0) (i32.const 255) (local.get $n))
    (memory.copy (i32.const 10) (i32.const 0) (local.get $n))
    (memory.init $d (i32.const 20) (i32.const 0) (i32.const 5))
    (data.drop $d)
    (drop (memory.grow (i32.const 1)))
    (memory.size))
)
;; ---- expected IR ----
;; function %copy_byte(i64, i32, i32) -> i32 {
;; block0(v0: i64, v1: i32, v2: i32):
;;     v4 = load_ptr.i64 readonly v0, +0
;;     v5 = load8_u.i32 v4, v2, +2 @0x3c
;;     store8.i32 v4, v1, +1, v5 @0x3f
;;     v6 = load16_s.i64 v4, v2, +0 @0x46
;;     store32.i64 v4, v1, +0, v6 @0x49
;;     v7 = iconst.i32 8 @0x4c
;;     v8 = load.f64 v4, v2, +0 @0x50
;;     store.f64 v4, v7, +0, v8 @0x53
;;     v9 = load.i32 v4, v1, +0 @0x58
;;     return v9 @0x5b
;; }
;; function %bulk(i64, i32) -> i32 {
;; block0(v0: i64, v1: i32):
;;     v3 = iconst.i32 0 @0x5e
;;     v4 = iconst.i32 255 @0x60
;;     call_rt memory_fill(v0, v3, v4, v1) @0x65
;;     v5 = iconst.i32 10 @0x68
;;     v6 = iconst.i32 0 @0x6a
;;     call_rt memory_copy(v0, v5, v6, v1) @0x6e
;;     v7 = iconst.i32 20 @0x72
;;     v8 = iconst.i32 0 @0x74
;;     v9 = iconst.i32 5 @0x76
;;     v10 = iconst.i32 0 @0x78
;;     call_rt memory_init(v0, v10, v7, v8, v9) @0x78
;;     v11 = iconst.i32 0 @0x7c
;;     call_rt data_drop(v0, v11) @0x7c
;;     v12 = iconst.i32 1 @0x7f
;;     v13 = call_rt memory_grow(v0, v12) @0x81
;;     v14 = load_ptr.i64 readonly v0, +8 @0x84
;;     v15 = load_ptr.i64 v14, +8 @0x84
;;     v16 = iconst.i64 16 @0x84
;;     v17 = ushr.i64 v15, v16 @0x84
;;     v18 = wrap.i64.i32 v17 @0x84
;;     return v18 @0x86
;; }
;; function %copy_byte_array_call(i64, i64) {
;;     sig0 = (i64, i32, i32) -> i32
;; block0(v0: i64, v1: i64):
;;     v2 = load_ptr.i32 v1, +0
;;     v3 = load_ptr.i32 v1, +16
;;     v4 = call fn0 sig0(v0, v2, v3)
;;     store_ptr.i32 v1, +0, v4
;;     return
;; }
