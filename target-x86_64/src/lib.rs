//! x86-64 ISA layer: registers, operand forms, an encoder with labels, relocations and a
//! constant pool. A leaf crate: it knows nothing of Wasm or of the compiler's IR, and exposes
//! no iced-x86 type (iced does the byte-level encoding inside; the most frequent integer forms
//! are encoded by hand, to the same bytes, for speed).
//!
//! # Using the assembler
//!
//! ```
//! use target_x86_64::{AluOp, Assembler, Cond, Gpr, Mem, Size};
//!
//! let mut asm = Assembler::new();
//! let done = asm.new_label();
//! asm.mov_imm(Gpr::Rax, 0);                                 // mov eax, 0
//! asm.alu_rr(AluOp::Test, Size::S32, Gpr::Rdi, Gpr::Rdi);   // test edi, edi
//! asm.jcc(Cond::E, done);                                   // je done (forward: rel32)
//! let load_at = asm.offset();                               // where a fault would happen
//! asm.load_zx(Size::S32, Gpr::Rax, Mem::base_disp(Gpr::Rsi, 8)); // mov eax, [rsi+8]
//! asm.bind_label(done);
//! asm.ret();
//! let out = asm.finish().unwrap();
//! assert_eq!(out.label_offset(done), Some(out.code.len() as u32 - 1));
//! # let _ = load_at;
//! ```
//!
//! * **Registers** ([`regs`]): [`Gpr`] (`Rax`..`R15`) and [`Xmm`] (`Xmm0`..`Xmm15`), with
//!   `hw()` numbers matching the hardware encoding; [`sysv`] lists the System V argument,
//!   result, caller-saved and callee-saved registers.
//! * **Operands** ([`inst`]): an integer instruction takes a [`Size`] (`S32` or `S64` for
//!   arithmetic; all four for loads and stores) and names registers by their 64-bit name: the
//!   size picks `eax` vs `rax`. A [`Mem`] is `[base + index*scale + disp]` with any register
//!   as base (`rsp`, `rbp`, `r12`, `r13` included), or `[rip + label]` ([`Mem::label`]).
//! * **Method naming**: `_rr` register-register, `_ri` register-immediate, `_rm`
//!   register ← memory, `_mr` memory ← register, `_mi` memory ← immediate. The destination
//!   comes first, as in Intel syntax. Operation families take a selector: [`AluOp`],
//!   [`ShiftOp`], [`BitCountOp`], [`FloatOp`], [`BitwiseOp`], [`RoundMode`], [`Cond`].
//! * **v128** ([`packed`]): [`Assembler::packed_rr`] / [`Assembler::packed_rm`] take a
//!   [`PackedOp`] (one table of ~110 SSE2–SSE4.1 `op xmm, xmm/m128` forms named after their
//!   mnemonics), [`Assembler::packed_rri`] a [`PackedImmOp`] (shuffles, blends, compares),
//!   [`Assembler::packed_shift_ri`] a [`PackedShiftOp`]; lanes move with
//!   [`Assembler::insert_lane`] / [`Assembler::extract_lane`] and
//!   [`Assembler::load_v128`] / [`Assembler::store_v128`] (unaligned).
//! * **Labels**: [`Assembler::new_label`], [`Assembler::bind_label`]; [`Assembler::jmp`] and
//!   [`Assembler::jcc`] to bound labels within reach use rel8, all others rel32. No pass
//!   moves code afterwards, so every [`Assembler::offset`] recorded during emission (trap
//!   sites, source locations) stays valid. Inside a fixed sequence whose forward branches
//!   are known to be short, [`Assembler::jmp_short`] / [`Assembler::jcc_short`] force rel8
//!   (and `finish` reports one that turns out too far).
//! * **Calls and relocations**: [`Assembler::call_symbol`] emits `call rel32` and a
//!   [`Reloc`] of kind [`RelocKind::Plt32`] with the caller's symbol id and addend -4;
//!   [`Assembler::lea_symbol`] (`PcRel32`) and [`Assembler::mov_symbol_abs`] (`Abs64`) take a
//!   symbol's address. [`Assembler::call_reg`] / [`Assembler::call_mem`] call indirectly.
//! * **Jump tables**: [`Assembler::jump_table_dispatch`] (or its four instructions by hand)
//!   and [`Assembler::emit_jump_table`], which lays out 32-bit offsets relative to the table.
//! * **Constants**: [`Assembler::const_u32`], [`Assembler::const_u64`] and
//!   [`Assembler::const_u128`] return a RIP-relative [`Mem`] into a pool appended after the
//!   code at [`Assembler::finish`]; equal constants share a slot. The code must be placed at
//!   a 16-byte aligned address for the 16-byte constants to be aligned.
//! * **Errors**: instruction methods return nothing. An impossible operand combination (an
//!   8-bit `imul`, `rsp` as an index, a label bound twice) is remembered and
//!   [`Assembler::finish`] returns the first one as an [`AsmError`]; nothing panics.
//! * **Result**: [`Assembled`] holds `code`, `relocs` (offsets into `code`), `pool_start`
//!   and [`Assembled::label_offset`]; [`Assembled::disassemble`] (or [`disassemble`]) lists
//!   the instructions for debugging and golden tests.

mod disasm;
mod encode;
mod error;
pub mod inst;
pub mod packed;
pub mod regs;
pub mod reloc;

pub use disasm::disassemble;
pub use encode::{Assembled, Assembler};
pub use error::AsmError;
pub use inst::{
    AluOp, Base, BitCountOp, BitwiseOp, Cond, FloatOp, FloatSize, Label, Mem, RoundMode, Scale, ShiftOp, Size,
};
pub use packed::{MoveMaskOp, PackedImmOp, PackedOp, PackedShiftOp};
pub use regs::{sysv, Gpr, Xmm};
pub use reloc::{Reloc, RelocKind};
