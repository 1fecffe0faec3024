;; Found by fuzz seed 1042 (fuzz/run.sh). A narrow store of a constant that does not fit the
;; store's width: x86-64 instruction selection made `mov word [m], imm` with the whole 32-bit
;; constant, and the encoder refused it ("store_imm: -1754608266 does not fit in S16"), so
;; the module failed to compile. Only the low bits are stored.
(module
  (memory 1)
  (func (export "store16") (result i32)
    i32.const 0
    i32.const -1754608266
    i32.store16
    i32.const 0
    i32.load)
  (func (export "store8") (result i32)
    i32.const 8
    i32.const 0x12345
    i32.store8
    i32.const 8
    i32.load)
  (func (export "store16_i64") (result i64)
    i32.const 16
    i64.const 0x7fff_1234_9876
    i64.store16
    i32.const 16
    i64.load))
(assert_return (invoke "store16") (i32.const 0xcd76))
(assert_return (invoke "store8") (i32.const 0x45))
(assert_return (invoke "store16_i64") (i64.const 0x9876))
