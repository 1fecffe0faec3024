//! The IR's scalar instructions on raw bits, computed by `wasmc::passes::eval`.

use super::Stop;
use wasmc::ir::{BinaryOp, ConvOp, FloatCC, IntCC, Type, UnaryOp};
use wasmc::passes::eval::{self, Const, Fault};

/// An operand of type `ty`; references compare and convert as the 64-bit integers they are.
fn operand(ty: Type, bits: u128) -> Result<Const, Stop> {
    let ty = if ty == Type::Ref { Type::I64 } else { ty };
    Const::from_bits(ty, bits as u64).ok_or_else(|| Stop::Unsupported(format!("a scalar operation on {ty}")))
}

fn outcome<T>(result: Result<T, Fault>) -> Result<T, Stop> {
    result.map_err(|fault| match fault {
        Fault::Trap(code) => Stop::Trap(code),
        Fault::IllTyped => Stop::Unsupported("an ill-typed operation".into()),
    })
}

pub fn unary(op: UnaryOp, ty: Type, a: u128) -> Result<u128, Stop> {
    let r = outcome(eval::execute_unary(op, operand(ty, a)?))?;
    Ok(r.bits().into())
}

pub fn binary(op: BinaryOp, ty: Type, a: u128, b: u128) -> Result<u128, Stop> {
    let r = outcome(eval::execute_binary(op, operand(ty, a)?, operand(ty, b)?))?;
    Ok(r.bits().into())
}

pub fn icmp(cond: IntCC, ty: Type, a: u128, b: u128) -> Result<u128, Stop> {
    let r = outcome(eval::execute_icmp(cond, operand(ty, a)?, operand(ty, b)?))?;
    Ok(r.into())
}

pub fn fcmp(cond: FloatCC, ty: Type, a: u128, b: u128) -> Result<u128, Stop> {
    let r = outcome(eval::execute_fcmp(cond, operand(ty, a)?, operand(ty, b)?))?;
    Ok(r.into())
}

pub fn conv(op: ConvOp, from: Type, to: Type, a: u128) -> Result<u128, Stop> {
    let r = outcome(eval::execute_conv(op, to, operand(from, a)?))?;
    Ok(r.bits().into())
}
