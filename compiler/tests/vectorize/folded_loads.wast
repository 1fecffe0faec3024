;; With AVX (x86-64-v3 and up) a 16-byte load read only by a vector operation becomes that
;; operation's memory operand (`vaddpd xmm0, xmm0, [mem]`): the fault of such an operation must
;; still be reported as an out-of-bounds access, and an unaligned operand must work.
(module
  (memory 1)
  (func (export "add") (param v128 i32) (result v128)
    (f64x2.add (local.get 0) (v128.load (local.get 1))))
  (func (export "sub") (param v128 i32) (result v128)
    (i32x4.sub (local.get 0) (v128.load offset=16 (local.get 1))))
  (func (export "store") (param i32 i64)
    (i64.store (local.get 0) (local.get 1))))
(invoke "store" (i32.const 65521) (i64.const 0x3ff0000000000000))
(assert_return (invoke "add" (v128.const f64x2 1 2) (i32.const 65513)) (v128.const f64x2 1 3))
(assert_trap (invoke "add" (v128.const f64x2 1 2) (i32.const 65521)) "out of bounds memory access")
(assert_trap (invoke "sub" (v128.const i32x4 1 2 3 4) (i32.const 65520)) "out of bounds memory access")
(assert_return (invoke "sub" (v128.const i32x4 1 2 3 4) (i32.const 65488)) (v128.const i32x4 1 2 3 4))
