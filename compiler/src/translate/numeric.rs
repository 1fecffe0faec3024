//! The numeric Wasm instructions, as a table from operator to IR operation.

use crate::decode::operators::Operator;
use crate::ir::{BinaryOp, ConvOp, FloatCC, IntCC, Type, UnaryOp};

/// How one numeric operator becomes one IR instruction.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(super) enum Numeric {
    Unary(UnaryOp, Type),
    Binary(BinaryOp, Type),
    Icmp(IntCC, Type),
    Fcmp(FloatCC, Type),
    /// `eqz`: compare with zero.
    Eqz(Type),
    Conv(ConvOp, Type, Type),
}

/// The IR form of a numeric operator, or `None` if `op` is not one.
pub(super) fn numeric(op: &Operator) -> Option<Numeric> {
    use BinaryOp as B;
    use ConvOp as C;
    use FloatCC as F;
    use IntCC as I;
    use Numeric::*;
    use Operator as O;
    use Type::*;
    use UnaryOp as U;
    Some(match op {
        O::I32Eqz => Eqz(I32),
        O::I64Eqz => Eqz(I64),

        O::I32Eq => Icmp(I::Eq, I32),
        O::I32Ne => Icmp(I::Ne, I32),
        O::I32LtS => Icmp(I::Slt, I32),
        O::I32LtU => Icmp(I::Ult, I32),
        O::I32GtS => Icmp(I::Sgt, I32),
        O::I32GtU => Icmp(I::Ugt, I32),
        O::I32LeS => Icmp(I::Sle, I32),
        O::I32LeU => Icmp(I::Ule, I32),
        O::I32GeS => Icmp(I::Sge, I32),
        O::I32GeU => Icmp(I::Uge, I32),
        O::I64Eq => Icmp(I::Eq, I64),
        O::I64Ne => Icmp(I::Ne, I64),
        O::I64LtS => Icmp(I::Slt, I64),
        O::I64LtU => Icmp(I::Ult, I64),
        O::I64GtS => Icmp(I::Sgt, I64),
        O::I64GtU => Icmp(I::Ugt, I64),
        O::I64LeS => Icmp(I::Sle, I64),
        O::I64LeU => Icmp(I::Ule, I64),
        O::I64GeS => Icmp(I::Sge, I64),
        O::I64GeU => Icmp(I::Uge, I64),

        O::F32Eq => Fcmp(F::Eq, F32),
        O::F32Ne => Fcmp(F::Ne, F32),
        O::F32Lt => Fcmp(F::Lt, F32),
        O::F32Gt => Fcmp(F::Gt, F32),
        O::F32Le => Fcmp(F::Le, F32),
        O::F32Ge => Fcmp(F::Ge, F32),
        O::F64Eq => Fcmp(F::Eq, F64),
        O::F64Ne => Fcmp(F::Ne, F64),
        O::F64Lt => Fcmp(F::Lt, F64),
        O::F64Gt => Fcmp(F::Gt, F64),
        O::F64Le => Fcmp(F::Le, F64),
        O::F64Ge => Fcmp(F::Ge, F64),

        O::I32Clz => Unary(U::Clz, I32),
        O::I32Ctz => Unary(U::Ctz, I32),
        O::I32Popcnt => Unary(U::Popcnt, I32),
        O::I64Clz => Unary(U::Clz, I64),
        O::I64Ctz => Unary(U::Ctz, I64),
        O::I64Popcnt => Unary(U::Popcnt, I64),
        O::I32Extend8S => Unary(U::Sext8, I32),
        O::I32Extend16S => Unary(U::Sext16, I32),
        O::I64Extend8S => Unary(U::Sext8, I64),
        O::I64Extend16S => Unary(U::Sext16, I64),
        O::I64Extend32S => Unary(U::Sext32, I64),

        O::I32Add => Binary(B::Iadd, I32),
        O::I32Sub => Binary(B::Isub, I32),
        O::I32Mul => Binary(B::Imul, I32),
        O::I32DivS => Binary(B::Sdiv, I32),
        O::I32DivU => Binary(B::Udiv, I32),
        O::I32RemS => Binary(B::Srem, I32),
        O::I32RemU => Binary(B::Urem, I32),
        O::I32And => Binary(B::And, I32),
        O::I32Or => Binary(B::Or, I32),
        O::I32Xor => Binary(B::Xor, I32),
        O::I32Shl => Binary(B::Shl, I32),
        O::I32ShrS => Binary(B::Sshr, I32),
        O::I32ShrU => Binary(B::Ushr, I32),
        O::I32Rotl => Binary(B::Rotl, I32),
        O::I32Rotr => Binary(B::Rotr, I32),
        O::I64Add => Binary(B::Iadd, I64),
        O::I64Sub => Binary(B::Isub, I64),
        O::I64Mul => Binary(B::Imul, I64),
        O::I64DivS => Binary(B::Sdiv, I64),
        O::I64DivU => Binary(B::Udiv, I64),
        O::I64RemS => Binary(B::Srem, I64),
        O::I64RemU => Binary(B::Urem, I64),
        O::I64And => Binary(B::And, I64),
        O::I64Or => Binary(B::Or, I64),
        O::I64Xor => Binary(B::Xor, I64),
        O::I64Shl => Binary(B::Shl, I64),
        O::I64ShrS => Binary(B::Sshr, I64),
        O::I64ShrU => Binary(B::Ushr, I64),
        O::I64Rotl => Binary(B::Rotl, I64),
        O::I64Rotr => Binary(B::Rotr, I64),

        O::F32Abs => Unary(U::Fabs, F32),
        O::F32Neg => Unary(U::Fneg, F32),
        O::F32Ceil => Unary(U::Fceil, F32),
        O::F32Floor => Unary(U::Ffloor, F32),
        O::F32Trunc => Unary(U::Ftrunc, F32),
        O::F32Nearest => Unary(U::Fnearest, F32),
        O::F32Sqrt => Unary(U::Fsqrt, F32),
        O::F64Abs => Unary(U::Fabs, F64),
        O::F64Neg => Unary(U::Fneg, F64),
        O::F64Ceil => Unary(U::Fceil, F64),
        O::F64Floor => Unary(U::Ffloor, F64),
        O::F64Trunc => Unary(U::Ftrunc, F64),
        O::F64Nearest => Unary(U::Fnearest, F64),
        O::F64Sqrt => Unary(U::Fsqrt, F64),

        O::F32Add => Binary(B::Fadd, F32),
        O::F32Sub => Binary(B::Fsub, F32),
        O::F32Mul => Binary(B::Fmul, F32),
        O::F32Div => Binary(B::Fdiv, F32),
        O::F32Min => Binary(B::Fmin, F32),
        O::F32Max => Binary(B::Fmax, F32),
        O::F32Copysign => Binary(B::Fcopysign, F32),
        O::F64Add => Binary(B::Fadd, F64),
        O::F64Sub => Binary(B::Fsub, F64),
        O::F64Mul => Binary(B::Fmul, F64),
        O::F64Div => Binary(B::Fdiv, F64),
        O::F64Min => Binary(B::Fmin, F64),
        O::F64Max => Binary(B::Fmax, F64),
        O::F64Copysign => Binary(B::Fcopysign, F64),

        O::I32WrapI64 => Conv(C::Wrap, I64, I32),
        O::I64ExtendI32S => Conv(C::Sextend, I32, I64),
        O::I64ExtendI32U => Conv(C::Uextend, I32, I64),
        O::I32TruncF32S => Conv(C::FcvtToSint, F32, I32),
        O::I32TruncF32U => Conv(C::FcvtToUint, F32, I32),
        O::I32TruncF64S => Conv(C::FcvtToSint, F64, I32),
        O::I32TruncF64U => Conv(C::FcvtToUint, F64, I32),
        O::I64TruncF32S => Conv(C::FcvtToSint, F32, I64),
        O::I64TruncF32U => Conv(C::FcvtToUint, F32, I64),
        O::I64TruncF64S => Conv(C::FcvtToSint, F64, I64),
        O::I64TruncF64U => Conv(C::FcvtToUint, F64, I64),
        O::I32TruncSatF32S => Conv(C::FcvtToSintSat, F32, I32),
        O::I32TruncSatF32U => Conv(C::FcvtToUintSat, F32, I32),
        O::I32TruncSatF64S => Conv(C::FcvtToSintSat, F64, I32),
        O::I32TruncSatF64U => Conv(C::FcvtToUintSat, F64, I32),
        O::I64TruncSatF32S => Conv(C::FcvtToSintSat, F32, I64),
        O::I64TruncSatF32U => Conv(C::FcvtToUintSat, F32, I64),
        O::I64TruncSatF64S => Conv(C::FcvtToSintSat, F64, I64),
        O::I64TruncSatF64U => Conv(C::FcvtToUintSat, F64, I64),
        O::F32ConvertI32S => Conv(C::FcvtFromSint, I32, F32),
        O::F32ConvertI32U => Conv(C::FcvtFromUint, I32, F32),
        O::F32ConvertI64S => Conv(C::FcvtFromSint, I64, F32),
        O::F32ConvertI64U => Conv(C::FcvtFromUint, I64, F32),
        O::F64ConvertI32S => Conv(C::FcvtFromSint, I32, F64),
        O::F64ConvertI32U => Conv(C::FcvtFromUint, I32, F64),
        O::F64ConvertI64S => Conv(C::FcvtFromSint, I64, F64),
        O::F64ConvertI64U => Conv(C::FcvtFromUint, I64, F64),
        O::F32DemoteF64 => Conv(C::Fdemote, F64, F32),
        O::F64PromoteF32 => Conv(C::Fpromote, F32, F64),
        O::I32ReinterpretF32 => Conv(C::Bitcast, F32, I32),
        O::I64ReinterpretF64 => Conv(C::Bitcast, F64, I64),
        O::F32ReinterpretI32 => Conv(C::Bitcast, I32, F32),
        O::F64ReinterpretI64 => Conv(C::Bitcast, I64, F64),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::operators::OpcodePrefix;
    use crate::decode::reader::Reader;
    use crate::decode::ValType;
    use crate::translate::ir_type;

    /// Every fixed-type operator without immediates, decoded from its opcode.
    fn simple_operators() -> Vec<Operator> {
        let no_immediates = [0u8; 16];
        let plain = (0..=0xFFu32).map(|c| (OpcodePrefix::Plain, c));
        let misc = (0..=7u32).map(|c| (OpcodePrefix::Misc, c));
        plain
            .chain(misc)
            .filter_map(|(prefix, code)| {
                let mut reader = Reader::new(&no_immediates, 0, 0);
                Operator::read_tabled(prefix, code, &mut reader).ok().flatten()
            })
            .filter(|op| op.memarg().is_none() && *op != Operator::Nop)
            .collect()
    }

    /// The IR operation's operand and result types agree with the operator's Wasm type, and
    /// every scalar numeric operator has a mapping.
    #[test]
    fn table_agrees_with_operator_types() {
        let ops = simple_operators();
        assert!(ops.len() > 120, "only {} numeric operators decoded", ops.len());
        for op in ops {
            let Some((params, results)) = op.fixed_signature() else { panic!("{} has no fixed type", op.name()) };
            let ir = |tys: &[ValType]| tys.iter().map(|&t| ir_type(t)).collect::<Vec<_>>();
            let (params, results) = (ir(params), ir(results));
            let expected = match numeric(&op) {
                Some(Numeric::Unary(_, ty)) => (vec![ty], vec![ty]),
                Some(Numeric::Binary(_, ty)) => (vec![ty, ty], vec![ty]),
                Some(Numeric::Icmp(_, ty) | Numeric::Fcmp(_, ty)) => (vec![ty, ty], vec![Type::I32]),
                Some(Numeric::Eqz(ty)) => (vec![ty], vec![Type::I32]),
                Some(Numeric::Conv(_, from, to)) => (vec![from], vec![to]),
                None => panic!("{} has no IR mapping", op.name()),
            };
            assert_eq!((params, results), expected, "{}", op.name());
            if let Some(Numeric::Icmp(..) | Numeric::Eqz(_) | Numeric::Unary(..) | Numeric::Binary(..)) = numeric(&op) {
                let float_op = op.name().starts_with('f');
                let ty = expected.0[0];
                assert_eq!(float_op, ty.is_float(), "{}", op.name());
            }
        }
    }
}
