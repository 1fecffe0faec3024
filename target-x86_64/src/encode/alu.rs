//! Integer arithmetic: ALU operations, multiply and divide, shifts and rotates, flags to
//! registers, conditional moves, bit counting.

use iced_x86::{Code, Instruction, Register};

use super::iced_map::gpr;
use super::{Assembler, Wide};
use crate::inst::{AluOp, BitCountOp, Cond, Mem, ShiftOp, Size};
use crate::regs::Gpr;

/// The encodings of one ALU operation at one width.
struct AluCodes {
    rm_r: Code,
    r_rm: Code,
    /// Sign-extended 8-bit immediate (3 bytes shorter than `rm_imm32`).
    rm_imm8: Option<Code>,
    rm_imm32: Code,
}

fn alu_codes(op: AluOp, wide: Wide) -> AluCodes {
    use Code::*;
    let c = |rm_r, r_rm, rm_imm8, rm_imm32| AluCodes { rm_r, r_rm, rm_imm8: Some(rm_imm8), rm_imm32 };
    match (op, wide) {
        (AluOp::Add, false) => c(Add_rm32_r32, Add_r32_rm32, Add_rm32_imm8, Add_rm32_imm32),
        (AluOp::Add, true) => c(Add_rm64_r64, Add_r64_rm64, Add_rm64_imm8, Add_rm64_imm32),
        (AluOp::Sub, false) => c(Sub_rm32_r32, Sub_r32_rm32, Sub_rm32_imm8, Sub_rm32_imm32),
        (AluOp::Sub, true) => c(Sub_rm64_r64, Sub_r64_rm64, Sub_rm64_imm8, Sub_rm64_imm32),
        (AluOp::And, false) => c(And_rm32_r32, And_r32_rm32, And_rm32_imm8, And_rm32_imm32),
        (AluOp::And, true) => c(And_rm64_r64, And_r64_rm64, And_rm64_imm8, And_rm64_imm32),
        (AluOp::Or, false) => c(Or_rm32_r32, Or_r32_rm32, Or_rm32_imm8, Or_rm32_imm32),
        (AluOp::Or, true) => c(Or_rm64_r64, Or_r64_rm64, Or_rm64_imm8, Or_rm64_imm32),
        (AluOp::Xor, false) => c(Xor_rm32_r32, Xor_r32_rm32, Xor_rm32_imm8, Xor_rm32_imm32),
        (AluOp::Xor, true) => c(Xor_rm64_r64, Xor_r64_rm64, Xor_rm64_imm8, Xor_rm64_imm32),
        (AluOp::Cmp, false) => c(Cmp_rm32_r32, Cmp_r32_rm32, Cmp_rm32_imm8, Cmp_rm32_imm32),
        (AluOp::Cmp, true) => c(Cmp_rm64_r64, Cmp_r64_rm64, Cmp_rm64_imm8, Cmp_rm64_imm32),
        // `test` is symmetric, so its one register-memory form serves both directions, and it
        // has no short immediate form.
        (AluOp::Test, false) => {
            AluCodes { rm_r: Test_rm32_r32, r_rm: Test_rm32_r32, rm_imm8: None, rm_imm32: Test_rm32_imm32 }
        }
        (AluOp::Test, true) => {
            AluCodes { rm_r: Test_rm64_r64, r_rm: Test_rm64_r64, rm_imm8: None, rm_imm32: Test_rm64_imm32 }
        }
    }
}

impl AluCodes {
    fn imm_code(&self, imm: i32) -> Code {
        match self.rm_imm8 {
            Some(code) if i8::try_from(imm).is_ok() => code,
            _ => self.rm_imm32,
        }
    }
}

fn shift_codes(op: ShiftOp, wide: Wide) -> (Code, Code) {
    use Code::*;
    match (op, wide) {
        (ShiftOp::Shl, false) => (Shl_rm32_CL, Shl_rm32_imm8),
        (ShiftOp::Shl, true) => (Shl_rm64_CL, Shl_rm64_imm8),
        (ShiftOp::Shr, false) => (Shr_rm32_CL, Shr_rm32_imm8),
        (ShiftOp::Shr, true) => (Shr_rm64_CL, Shr_rm64_imm8),
        (ShiftOp::Sar, false) => (Sar_rm32_CL, Sar_rm32_imm8),
        (ShiftOp::Sar, true) => (Sar_rm64_CL, Sar_rm64_imm8),
        (ShiftOp::Rol, false) => (Rol_rm32_CL, Rol_rm32_imm8),
        (ShiftOp::Rol, true) => (Rol_rm64_CL, Rol_rm64_imm8),
        (ShiftOp::Ror, false) => (Ror_rm32_CL, Ror_rm32_imm8),
        (ShiftOp::Ror, true) => (Ror_rm64_CL, Ror_rm64_imm8),
    }
}

fn bit_count_code(op: BitCountOp, wide: Wide) -> Code {
    use Code::*;
    match (op, wide) {
        (BitCountOp::Bsf, false) => Bsf_r32_rm32,
        (BitCountOp::Bsf, true) => Bsf_r64_rm64,
        (BitCountOp::Bsr, false) => Bsr_r32_rm32,
        (BitCountOp::Bsr, true) => Bsr_r64_rm64,
        (BitCountOp::Lzcnt, false) => Lzcnt_r32_rm32,
        (BitCountOp::Lzcnt, true) => Lzcnt_r64_rm64,
        (BitCountOp::Tzcnt, false) => Tzcnt_r32_rm32,
        (BitCountOp::Tzcnt, true) => Tzcnt_r64_rm64,
        (BitCountOp::Popcnt, false) => Popcnt_r32_rm32,
        (BitCountOp::Popcnt, true) => Popcnt_r64_rm64,
    }
}

fn setcc_code(cond: Cond) -> Code {
    use Code::*;
    match cond {
        Cond::O => Seto_rm8,
        Cond::NO => Setno_rm8,
        Cond::B => Setb_rm8,
        Cond::AE => Setae_rm8,
        Cond::E => Sete_rm8,
        Cond::NE => Setne_rm8,
        Cond::BE => Setbe_rm8,
        Cond::A => Seta_rm8,
        Cond::S => Sets_rm8,
        Cond::NS => Setns_rm8,
        Cond::P => Setp_rm8,
        Cond::NP => Setnp_rm8,
        Cond::L => Setl_rm8,
        Cond::GE => Setge_rm8,
        Cond::LE => Setle_rm8,
        Cond::G => Setg_rm8,
    }
}

fn cmov_code(cond: Cond, wide: Wide) -> Code {
    use Code::*;
    let (c32, c64) = match cond {
        Cond::O => (Cmovo_r32_rm32, Cmovo_r64_rm64),
        Cond::NO => (Cmovno_r32_rm32, Cmovno_r64_rm64),
        Cond::B => (Cmovb_r32_rm32, Cmovb_r64_rm64),
        Cond::AE => (Cmovae_r32_rm32, Cmovae_r64_rm64),
        Cond::E => (Cmove_r32_rm32, Cmove_r64_rm64),
        Cond::NE => (Cmovne_r32_rm32, Cmovne_r64_rm64),
        Cond::BE => (Cmovbe_r32_rm32, Cmovbe_r64_rm64),
        Cond::A => (Cmova_r32_rm32, Cmova_r64_rm64),
        Cond::S => (Cmovs_r32_rm32, Cmovs_r64_rm64),
        Cond::NS => (Cmovns_r32_rm32, Cmovns_r64_rm64),
        Cond::P => (Cmovp_r32_rm32, Cmovp_r64_rm64),
        Cond::NP => (Cmovnp_r32_rm32, Cmovnp_r64_rm64),
        Cond::L => (Cmovl_r32_rm32, Cmovl_r64_rm64),
        Cond::GE => (Cmovge_r32_rm32, Cmovge_r64_rm64),
        Cond::LE => (Cmovle_r32_rm32, Cmovle_r64_rm64),
        Cond::G => (Cmovg_r32_rm32, Cmovg_r64_rm64),
    };
    if wide {
        c64
    } else {
        c32
    }
}

impl Assembler {
    // ---- ALU ----

    /// `op dst, src` (`cmp`/`test` only set flags).
    pub fn alu_rr(&mut self, op: AluOp, size: Size, dst: Gpr, src: Gpr) {
        if self.direct_alu_rr(op, size, dst, src) {
            return;
        }
        let Some(wide) = self.wide(size, "alu") else { return };
        self.emit_rr(alu_codes(op, wide).rm_r, gpr(dst, size), gpr(src, size));
    }

    /// `op dst, imm` (sign-extended to 64 bits for 64-bit operations; the 8-bit immediate
    /// form is chosen when it fits).
    pub fn alu_ri(&mut self, op: AluOp, size: Size, dst: Gpr, imm: i32) {
        if self.direct_alu_ri(op, size, dst, imm) {
            return;
        }
        let Some(wide) = self.wide(size, "alu") else { return };
        let code = alu_codes(op, wide).imm_code(imm);
        self.emit_inst(Instruction::with2(code, gpr(dst, size), imm), None);
    }

    /// `op dst, [mem]`.
    pub fn alu_rm(&mut self, op: AluOp, size: Size, dst: Gpr, mem: Mem) {
        if self.direct_alu_rm(op, size, dst, mem) {
            return;
        }
        let Some(wide) = self.wide(size, "alu") else { return };
        let codes = alu_codes(op, wide);
        let reg = gpr(dst, size);
        if op == AluOp::Test {
            self.emit_with_mem(mem, |m| Instruction::with2(codes.rm_r, m, reg));
        } else {
            self.emit_with_mem(mem, |m| Instruction::with2(codes.r_rm, reg, m));
        }
    }

    /// `op [mem], src`.
    pub fn alu_mr(&mut self, op: AluOp, size: Size, mem: Mem, src: Gpr) {
        if self.direct_alu_mr(op, size, mem, src) {
            return;
        }
        let Some(wide) = self.wide(size, "alu") else { return };
        let code = alu_codes(op, wide).rm_r;
        let reg = gpr(src, size);
        self.emit_with_mem(mem, |m| Instruction::with2(code, m, reg));
    }

    /// `op [mem], imm`.
    pub fn alu_mi(&mut self, op: AluOp, size: Size, mem: Mem, imm: i32) {
        if self.direct_alu_mi(op, size, mem, imm) {
            return;
        }
        let Some(wide) = self.wide(size, "alu") else { return };
        let code = alu_codes(op, wide).imm_code(imm);
        self.emit_with_mem(mem, |m| Instruction::with2(code, m, imm));
    }

    /// `xor dst32, dst32`: the idiomatic zeroing of the whole register (clobbers flags).
    pub fn zero(&mut self, dst: Gpr) {
        self.alu_rr(AluOp::Xor, Size::S32, dst, dst);
    }

    // ---- Multiply, divide, unary ----

    /// `imul dst, src` (the low half of the product).
    pub fn imul_rr(&mut self, size: Size, dst: Gpr, src: Gpr) {
        let Some(wide) = self.wide(size, "imul") else { return };
        let code = if wide { Code::Imul_r64_rm64 } else { Code::Imul_r32_rm32 };
        self.emit_rr(code, gpr(dst, size), gpr(src, size));
    }

    /// `imul dst, [mem]`.
    pub fn imul_rm(&mut self, size: Size, dst: Gpr, mem: Mem) {
        let Some(wide) = self.wide(size, "imul") else { return };
        let code = if wide { Code::Imul_r64_rm64 } else { Code::Imul_r32_rm32 };
        let reg = gpr(dst, size);
        self.emit_with_mem(mem, |m| Instruction::with2(code, reg, m));
    }

    /// `imul dst, src, imm`: three-operand multiply by a constant.
    pub fn imul_rri(&mut self, size: Size, dst: Gpr, src: Gpr, imm: i32) {
        let Some(code) = self.imul_imm_code(size, imm) else { return };
        self.emit_inst(Instruction::with3(code, gpr(dst, size), gpr(src, size), imm), None);
    }

    /// `imul dst, [mem], imm`.
    pub fn imul_rmi(&mut self, size: Size, dst: Gpr, mem: Mem, imm: i32) {
        let Some(code) = self.imul_imm_code(size, imm) else { return };
        let reg = gpr(dst, size);
        self.emit_with_mem(mem, |m| Instruction::with3(code, reg, m, imm));
    }

    fn imul_imm_code(&mut self, size: Size, imm: i32) -> Option<Code> {
        let wide = self.wide(size, "imul")?;
        let short = i8::try_from(imm).is_ok();
        Some(match (wide, short) {
            (false, true) => Code::Imul_r32_rm32_imm8,
            (false, false) => Code::Imul_r32_rm32_imm32,
            (true, true) => Code::Imul_r64_rm64_imm8,
            (true, false) => Code::Imul_r64_rm64_imm32,
        })
    }

    /// `neg dst` (two's complement).
    pub fn neg(&mut self, size: Size, dst: Gpr) {
        let Some(wide) = self.wide(size, "neg") else { return };
        let code = if wide { Code::Neg_rm64 } else { Code::Neg_rm32 };
        self.emit_inst(Instruction::with1(code, gpr(dst, size)), None);
    }

    /// `not dst` (one's complement).
    pub fn not(&mut self, size: Size, dst: Gpr) {
        let Some(wide) = self.wide(size, "not") else { return };
        let code = if wide { Code::Not_rm64 } else { Code::Not_rm32 };
        self.emit_inst(Instruction::with1(code, gpr(dst, size)), None);
    }

    /// `mul src` (64-bit): the unsigned 128-bit product `rdx:rax = rax * src`.
    pub fn mul_wide(&mut self, src: Gpr) {
        self.emit_inst(Instruction::with1(Code::Mul_rm64, gpr(src, Size::S64)), None);
    }

    /// `div divisor`: unsigned `rdx:rax / divisor`, quotient to `rax`, remainder to `rdx`.
    /// Zero `rdx` first. Faults (#DE) on a zero divisor.
    pub fn div(&mut self, size: Size, divisor: Gpr) {
        let Some(wide) = self.wide(size, "div") else { return };
        let code = if wide { Code::Div_rm64 } else { Code::Div_rm32 };
        self.emit_inst(Instruction::with1(code, gpr(divisor, size)), None);
    }

    /// `idiv divisor`: signed `rdx:rax / divisor`. Sign-extend `rax` into `rdx` first with
    /// [`sign_extend_rax`](Assembler::sign_extend_rax). Faults (#DE) on a zero divisor and on
    /// `MIN / -1`.
    pub fn idiv(&mut self, size: Size, divisor: Gpr) {
        let Some(wide) = self.wide(size, "idiv") else { return };
        let code = if wide { Code::Idiv_rm64 } else { Code::Idiv_rm32 };
        self.emit_inst(Instruction::with1(code, gpr(divisor, size)), None);
    }

    /// `cdq` (32-bit) or `cqo` (64-bit): fills `rdx` with the sign of `rax`.
    pub fn sign_extend_rax(&mut self, size: Size) {
        let Some(wide) = self.wide(size, "cdq/cqo") else { return };
        self.emit_inst(Ok(Instruction::with(if wide { Code::Cqo } else { Code::Cdq })), None);
    }

    // ---- Shifts and rotates ----

    /// `op dst, cl`: shift by the count in `rcx` (masked by the CPU to 5 or 6 bits).
    pub fn shift_cl(&mut self, op: ShiftOp, size: Size, dst: Gpr) {
        let Some(wide) = self.wide(size, "shift") else { return };
        let (by_cl, _) = shift_codes(op, wide);
        self.emit_rr(by_cl, gpr(dst, size), Register::CL);
    }

    /// `op dst, imm`; the count is masked to 5 (32-bit) or 6 (64-bit) bits, as the CPU does.
    pub fn shift_ri(&mut self, op: ShiftOp, size: Size, dst: Gpr, count: u8) {
        if self.direct_shift_ri(op, size, dst, count) {
            return;
        }
        let Some(wide) = self.wide(size, "shift") else { return };
        let (_, by_imm) = shift_codes(op, wide);
        let count = u32::from(count) & if wide { 63 } else { 31 };
        self.emit_inst(Instruction::with2(by_imm, gpr(dst, size), count), None);
    }

    /// BMI2 `shlx`/`shrx`/`sarx dst, src, count`: `src` shifted by `count` (masked to 5 or 6
    /// bits) into `dst`, with any registers and the flags untouched. Other ops are an error.
    pub fn shiftx_rrr(&mut self, op: ShiftOp, size: Size, dst: Gpr, src: Gpr, count: Gpr) {
        let Some(wide) = self.wide(size, "shiftx") else { return };
        use Code::*;
        let code = match (op, wide) {
            (ShiftOp::Shl, false) => VEX_Shlx_r32_rm32_r32,
            (ShiftOp::Shl, true) => VEX_Shlx_r64_rm64_r64,
            (ShiftOp::Shr, false) => VEX_Shrx_r32_rm32_r32,
            (ShiftOp::Shr, true) => VEX_Shrx_r64_rm64_r64,
            (ShiftOp::Sar, false) => VEX_Sarx_r32_rm32_r32,
            (ShiftOp::Sar, true) => VEX_Sarx_r64_rm64_r64,
            (ShiftOp::Rol | ShiftOp::Ror, _) => return self.fail(format!("{op:?} has no BMI2 three-operand form")),
        };
        self.emit_inst(Instruction::with3(code, gpr(dst, size), gpr(src, size), gpr(count, size)), None);
    }

    /// BMI1 `andn dst, a, b`: `!a & b`, with any registers.
    pub fn andn_rrr(&mut self, size: Size, dst: Gpr, a: Gpr, b: Gpr) {
        let Some(wide) = self.wide(size, "andn") else { return };
        let code = if wide { Code::VEX_Andn_r64_r64_rm64 } else { Code::VEX_Andn_r32_r32_rm32 };
        self.emit_inst(Instruction::with3(code, gpr(dst, size), gpr(a, size), gpr(b, size)), None);
    }

    /// BMI2 `rorx dst, src, imm`: `src` rotated right by `count` (masked to 5 or 6 bits) into
    /// `dst`, flags untouched.
    pub fn rorx_rri(&mut self, size: Size, dst: Gpr, src: Gpr, count: u8) {
        let Some(wide) = self.wide(size, "rorx") else { return };
        let code = if wide { Code::VEX_Rorx_r64_rm64_imm8 } else { Code::VEX_Rorx_r32_rm32_imm8 };
        let count = u32::from(count) & if wide { 63 } else { 31 };
        self.emit_inst(Instruction::with3(code, gpr(dst, size), gpr(src, size), count), None);
    }

    // ---- Flags to registers, conditional moves, bit counts ----

    /// `setcc dst8`: writes 0 or 1 to the low byte of `dst`, keeping the other bits.
    pub fn setcc(&mut self, cond: Cond, dst: Gpr) {
        self.emit_inst(Instruction::with1(setcc_code(cond), gpr(dst, Size::S8)), None);
    }

    /// `setcc dst8; movzx dst32, dst8`: `dst` becomes exactly 0 or 1. Prefer zeroing `dst`
    /// before the flags are set when a free register allows it.
    pub fn set_bool(&mut self, cond: Cond, dst: Gpr) {
        self.setcc(cond, dst);
        self.movzx_rr(Size::S8, dst, dst);
    }

    /// `cmovcc dst, src`. A 32-bit `cmov` zeroes the upper half of `dst` even when the
    /// condition is false.
    pub fn cmov(&mut self, cond: Cond, size: Size, dst: Gpr, src: Gpr) {
        let Some(wide) = self.wide(size, "cmov") else { return };
        self.emit_rr(cmov_code(cond, wide), gpr(dst, size), gpr(src, size));
    }

    /// `cmovcc dst, [mem]`. The load happens (and may fault) whatever the condition.
    pub fn cmov_rm(&mut self, cond: Cond, size: Size, dst: Gpr, mem: Mem) {
        let Some(wide) = self.wide(size, "cmov") else { return };
        let code = cmov_code(cond, wide);
        let reg = gpr(dst, size);
        self.emit_with_mem(mem, |m| Instruction::with2(code, reg, m));
    }

    /// `bsf`/`bsr`/`lzcnt`/`tzcnt`/`popcnt dst, src`.
    pub fn bit_count(&mut self, op: BitCountOp, size: Size, dst: Gpr, src: Gpr) {
        let Some(wide) = self.wide(size, "bit count") else { return };
        self.emit_rr(bit_count_code(op, wide), gpr(dst, size), gpr(src, size));
    }
}
