//! AArch64 ISA layer: registers, operand forms, an encoder with labels, relocations and a
//! literal pool. A leaf crate: it knows nothing of Wasm or of the compiler's IR. Every
//! instruction is packed from its bit fields by this crate (and checked against LLVM's
//! disassembler in the tests).
//!
//! # Using the assembler
//!
//! ```
//! use target_aarch64::{AluOp, Assembler, Gpr, Mem, Size};
//!
//! let mut asm = Assembler::new();
//! let done = asm.new_label();
//! asm.mov_imm(Size::S64, Gpr::X0, 0);                        // mov x0, #0
//! asm.cbz(Size::S32, Gpr::X1, done);                          // cbz w1, done
//! let load_at = asm.offset();                                 // where a fault would happen
//! asm.load(Size::S32, Gpr::X0, Mem::uxtw(Gpr::X2, Gpr::X1));  // ldr w0, [x2, w1, uxtw]
//! asm.alu_rri(AluOp::Add, Size::S64, Gpr::X0, Gpr::X0, 1);   // add x0, x0, #1
//! asm.bind_label(done);
//! asm.ret();
//! let out = asm.finish().unwrap();
//! assert_eq!(out.label_offset(done), Some(16));
//! # let _ = load_at;
//! ```
//!
//! * **Registers** ([`regs`]): [`Gpr`] (`X0`..`X30`, plus `Sp` and `Zr`, which share
//!   hardware number 31: each operand field accepts only the one it means, and the other is
//!   reported) and [`Vreg`] (`V0`..`V31`); [`aapcs64`] lists the argument, result,
//!   caller-saved and callee-saved registers (`d8`..`d15`: low halves only) and the special
//!   ones (`x16`/`x17` scratch, `x18` reserved, `x29` frame pointer, `x30` link register).
//! * **Operands** ([`inst`]): an integer instruction takes a [`Size`] (`S32` or `S64` for
//!   arithmetic, picking `w` vs `x`; all four for loads and stores). A [`Mem`] is
//!   `[base, #offset]` (scaled 12-bit or unscaled 9-bit, chosen by the assembler),
//!   pre/post-indexed, `[base, index, extend]` ([`Mem::uxtw`] for a Wasm heap access), or a
//!   literal at a label.
//! * **Method naming**: `_rrr` three registers, `_rri` with an immediate; the destination
//!   comes first, as in the assembly syntax, except for stores (`store(size, mem, src)`).
//!   Operation families take a selector: [`AluOp`], [`Shift`], [`Extend`], [`BitOp`],
//!   [`FloatOp`], [`FloatUnaryOp`], [`RoundMode`], [`Cond`].
//! * **Vectors (NEON)**: a [`VArr`] names the lane arrangement (`16b`, `8h`, `4s`, `2d`, and
//!   the half-register ones of widening and narrowing forms);
//!   [`Assembler::vec_rrr`] ([`VecOp`]), [`Assembler::vec_unary`] ([`VecUnaryOp`], across-lanes
//!   reductions included) and [`Assembler::vec_shift_imm`] ([`VecShiftOp`]) cover the
//!   arithmetic, plus lane moves (`dup`, `ins`, `umov`, `smov`), `tbl`, `ext` and `movi`.
//! * **Immediates** ([`imm`]): [`imm::alu_imm_fits`], [`imm::logical_imm`] (the bitmask
//!   encoder), [`imm::add_sub_imm`] and [`imm::fmov_imm`] tell instruction selection what an
//!   instruction can hold; [`Assembler::mov_imm`] materialises any 64-bit constant in at
//!   most four instructions.
//! * **Labels**: [`Assembler::new_label`], [`Assembler::bind_label`]; `b`/`bl` reach ±128 MiB,
//!   `b.cond`/`cbz`/`cbnz`/`adr`/literal loads ±1 MiB, `tbz`/`tbnz` ±32 KiB. Every instruction
//!   is 4 bytes and nothing moves after emission, so every recorded
//!   [`Assembler::offset`] stays valid; a label out of its instruction's range makes
//!   [`Assembler::finish`] fail (no relaxation: branch around with the inverted condition
//!   where a target may be far).
//! * **Calls and relocations**: [`Assembler::call_symbol`] emits `bl` with a
//!   [`RelocKind::Call26`] relocation (`R_AARCH64_CALL26` / `ARM64_RELOC_BRANCH26`),
//!   [`Assembler::jump_symbol`] a tail `b`, [`Assembler::symbol_address`] an `adrp` + `add`
//!   pair, [`Assembler::symbol_address_word`] a 64-bit pointer in the code;
//!   [`RelocKind::elf_type`] and [`RelocKind::macho_type`] give the object-file types.
//! * **Jump tables**: [`Assembler::jump_table_dispatch`] (`adr`, `ldrsw`, `add`, `br`) and
//!   [`Assembler::emit_jump_table`], which lays out 32-bit offsets relative to the table.
//! * **Constants**: [`Assembler::const_u32`], [`Assembler::const_u64`] and
//!   [`Assembler::const_u128`] return a pc-relative [`Mem`] into a pool appended after the
//!   code at [`Assembler::finish`]; equal constants share a slot.
//! * **Errors**: instruction methods return nothing. An impossible operand (an immediate that
//!   does not fit, `sp` where the field means `xzr`, a label bound twice) is remembered and
//!   [`Assembler::finish`] returns the first one as an [`AsmError`]; nothing panics.
//! * **Result**: [`Assembled`] holds `code`, `relocs` (offsets into `code`), `pool_start`
//!   and [`Assembled::label_offset`].

mod encode;
mod error;
pub mod imm;
pub mod inst;
pub mod regs;
pub mod reloc;

pub use encode::{Assembled, Assembler};
pub use error::AsmError;
pub use inst::{
    AluOp, BitOp, Cond, Extend, FloatOp, FloatSize, FloatUnaryOp, Label, Mem, RoundMode, Shift, Size, VArr, VSize,
    VecOp, VecShiftOp, VecUnaryOp,
};
pub use regs::{aapcs64, Gpr, Vreg};
pub use reloc::{Reloc, RelocKind};
