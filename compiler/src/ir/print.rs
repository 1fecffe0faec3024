//! The text form of the IR: printer. [`super::parse`] reads the same grammar back, and
//! `parse(print(f))` prints identically.
//!
//! ```text
//! function   := 'function' name '(' types ')' results? '{' sigdecl* block* '}'
//! name       := '%' [A-Za-z0-9_.$-]+  |  '%' '"' escaped-string '"'
//! results    := '->' type  |  '->' '(' types ')'
//! sigdecl    := 'sig'N '=' '(' types ')' results?
//! block      := 'block'N ('(' vN ':' type, ... ')')? ':' inst*
//! inst       := (vN, ... '=')? mnemonic operands ('@' hex-srcloc)?
//! comment    := ';' to the end of the line (ignored)
//! ```
//!
//! Instructions (`.T` is a value type, `[s]` a memory size such as `8_s`, `16_u`, `32_s`):
//! ```text
//! v1 = iconst.i32 -5               v2 = f32const 0x3f800000      v3 = f64const 0x3ff0000000000000
//! v4 = v128const 0x000102…0f       v5 = ref_null                 v6 = is_null v5
//! v7 = clz.i32 v1                  v8 = iadd.i32 v1, v7          v9 = icmp.i32 slt v1, v8
//! v10 = fcmp.f64 lt v3, v3         v11 = sextend.i32.i64 v1      (conversion: op.from.to)
//! v12 = select.i32 v9, v1, v8      (cond, if-true, if-false)
//! v13 = load[s].i32 v0, v1, +8     (heap, wasm address, offset)
//! store[8|16|32].i32 v0, v1, +8, v13                             (heap, address, offset, value)
//! v14 = load_ptr.i64 readonly v0, +16                            store_ptr.i64 v0, -8, v14
//! v15, v16 = call fn3 sig0(v0, v1)  v17 = call_indirect sig1 v14(v0)  call_rt data_drop(v0, v1)
//! trapz v9, int_divz               trapnz v9, int_ovf
//! jump block1(v1)                  brif v9, block1(v1), block2   br_table v1, [block1, block2], block3
//! return v1, v8                    trap unreachable
//! ```
//! Values and blocks keep their numbers, so a printed function reads the same after a round
//! trip. A store's signedness is irrelevant and not printed (it parses as unsigned). Float
//! constants are printed as their exact bits.

use super::*;
use std::fmt::Write;

/// Mnemonics shared by the printer and the parser, so the two cannot drift apart.
pub(super) const UNARY_OPS: [(UnaryOp, &str); 13] = [
    (UnaryOp::Clz, "clz"),
    (UnaryOp::Ctz, "ctz"),
    (UnaryOp::Popcnt, "popcnt"),
    (UnaryOp::Sext8, "sext8"),
    (UnaryOp::Sext16, "sext16"),
    (UnaryOp::Sext32, "sext32"),
    (UnaryOp::Fabs, "fabs"),
    (UnaryOp::Fneg, "fneg"),
    (UnaryOp::Fsqrt, "fsqrt"),
    (UnaryOp::Fceil, "fceil"),
    (UnaryOp::Ffloor, "ffloor"),
    (UnaryOp::Ftrunc, "ftrunc"),
    (UnaryOp::Fnearest, "fnearest"),
];

pub(super) const BINARY_OPS: [(BinaryOp, &str); 22] = [
    (BinaryOp::Iadd, "iadd"),
    (BinaryOp::Isub, "isub"),
    (BinaryOp::Imul, "imul"),
    (BinaryOp::Sdiv, "sdiv"),
    (BinaryOp::Udiv, "udiv"),
    (BinaryOp::Srem, "srem"),
    (BinaryOp::Urem, "urem"),
    (BinaryOp::And, "and"),
    (BinaryOp::Or, "or"),
    (BinaryOp::Xor, "xor"),
    (BinaryOp::Shl, "shl"),
    (BinaryOp::Sshr, "sshr"),
    (BinaryOp::Ushr, "ushr"),
    (BinaryOp::Rotl, "rotl"),
    (BinaryOp::Rotr, "rotr"),
    (BinaryOp::Fadd, "fadd"),
    (BinaryOp::Fsub, "fsub"),
    (BinaryOp::Fmul, "fmul"),
    (BinaryOp::Fdiv, "fdiv"),
    (BinaryOp::Fmin, "fmin"),
    (BinaryOp::Fmax, "fmax"),
    (BinaryOp::Fcopysign, "fcopysign"),
];

pub(super) const CONV_OPS: [(ConvOp, &str); 12] = [
    (ConvOp::Wrap, "wrap"),
    (ConvOp::Sextend, "sextend"),
    (ConvOp::Uextend, "uextend"),
    (ConvOp::FcvtToSint, "fcvt_to_sint"),
    (ConvOp::FcvtToUint, "fcvt_to_uint"),
    (ConvOp::FcvtToSintSat, "fcvt_to_sint_sat"),
    (ConvOp::FcvtToUintSat, "fcvt_to_uint_sat"),
    (ConvOp::FcvtFromSint, "fcvt_from_sint"),
    (ConvOp::FcvtFromUint, "fcvt_from_uint"),
    (ConvOp::Fpromote, "fpromote"),
    (ConvOp::Fdemote, "fdemote"),
    (ConvOp::Bitcast, "bitcast"),
];

pub(super) const INT_CCS: [(IntCC, &str); 10] = [
    (IntCC::Eq, "eq"),
    (IntCC::Ne, "ne"),
    (IntCC::Slt, "slt"),
    (IntCC::Sle, "sle"),
    (IntCC::Sgt, "sgt"),
    (IntCC::Sge, "sge"),
    (IntCC::Ult, "ult"),
    (IntCC::Ule, "ule"),
    (IntCC::Ugt, "ugt"),
    (IntCC::Uge, "uge"),
];

pub(super) const FLOAT_CCS: [(FloatCC, &str); 6] = [
    (FloatCC::Eq, "eq"),
    (FloatCC::Ne, "ne"),
    (FloatCC::Lt, "lt"),
    (FloatCC::Le, "le"),
    (FloatCC::Gt, "gt"),
    (FloatCC::Ge, "ge"),
];

/// Load suffixes after `load`; stores print only the width (`store8`).
pub(super) const LOAD_SIZES: [(MemSize, &str); 7] = [
    (MemSize::Full, ""),
    (MemSize::S8, "8_s"),
    (MemSize::U8, "8_u"),
    (MemSize::S16, "16_s"),
    (MemSize::U16, "16_u"),
    (MemSize::S32, "32_s"),
    (MemSize::U32, "32_u"),
];

pub(super) const TYPES: [Type; 6] = [
    Type::I32,
    Type::I64,
    Type::F32,
    Type::F64,
    Type::V128,
    Type::Ref,
];

fn name_of<T: PartialEq + Copy>(table: &[(T, &'static str)], key: T) -> &'static str {
    table
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("?", |(_, n)| n)
}

fn store_width(size: MemSize) -> &'static str {
    match size {
        MemSize::Full => "",
        MemSize::S8 | MemSize::U8 => "8",
        MemSize::S16 | MemSize::U16 => "16",
        MemSize::S32 | MemSize::U32 => "32",
    }
}

/// The whole function in text form, ending with a newline.
pub fn print_function(func: &Function) -> String {
    let mut out = String::new();
    write_function(&mut out, func).expect("writing to a String cannot fail");
    out
}

/// One instruction on one line, without indentation: `v3 = iadd.i32 v1, v2`.
pub fn print_inst(func: &Function, inst: Inst) -> String {
    let mut out = String::new();
    write_inst(&mut out, func, inst).expect("writing to a String cannot fail");
    out
}

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&print_function(self))
    }
}

fn write_function(out: &mut String, func: &Function) -> fmt::Result {
    write!(out, "function ")?;
    write_name(out, &func.name)?;
    write_signature(out, &func.sig)?;
    writeln!(out, " {{")?;
    for (i, sig) in func.sigs.iter().enumerate() {
        write!(out, "    sig{} = ", i)?;
        write_signature(out, sig)?;
        writeln!(out)?;
    }
    for &block in &func.layout {
        write_block_header(out, func, block)?;
        if let Some(data) = func.blocks.get(block.index()) {
            for &inst in &data.insts {
                write!(out, "    ")?;
                write_inst(out, func, inst)?;
                writeln!(out)?;
            }
        }
    }
    writeln!(out, "}}")
}

/// Names made only of these characters print bare; others are quoted.
pub(super) fn is_bare_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$' | '-')
}

fn write_name(out: &mut String, name: &str) -> fmt::Result {
    if !name.is_empty() && name.chars().all(is_bare_name_char) {
        return write!(out, "%{}", name);
    }
    out.push_str("%\"");
    for c in name.chars() {
        match c {
            '"' | '\\' => write!(out, "\\{}", c)?,
            ' '..='~' => out.push(c),
            _ => write!(out, "\\u{{{:x}}}", c as u32)?,
        }
    }
    out.push('"');
    Ok(())
}

fn write_types(out: &mut String, types: &[Type]) -> fmt::Result {
    for (i, ty) in types.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(ty.name());
    }
    Ok(())
}

fn write_signature(out: &mut String, sig: &Signature) -> fmt::Result {
    out.push('(');
    write_types(out, &sig.params)?;
    out.push(')');
    match sig.results.as_slice() {
        [] => Ok(()),
        [ty] => write!(out, " -> {}", ty),
        many => {
            out.push_str(" -> (");
            write_types(out, many)?;
            out.push(')');
            Ok(())
        }
    }
}

fn write_block_header(out: &mut String, func: &Function, block: Block) -> fmt::Result {
    write!(out, "block{}", block.0)?;
    let params = func
        .blocks
        .get(block.index())
        .map_or(&[][..], |b| &b.params[..]);
    if !params.is_empty() {
        out.push('(');
        for (i, &v) in params.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            match func.values.get(v.index()) {
                Some(data) => write!(out, "v{}: {}", v.0, data.ty)?,
                None => write!(out, "v{}: ?", v.0)?,
            }
        }
        out.push(')');
    }
    writeln!(out, ":")
}

fn write_values(out: &mut String, values: &[Value]) -> fmt::Result {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write!(out, "v{}", v.0)?;
    }
    Ok(())
}

fn write_block_call(out: &mut String, call: &BlockCall) -> fmt::Result {
    write!(out, "block{}", call.block.0)?;
    if !call.args.is_empty() {
        out.push('(');
        write_values(out, &call.args)?;
        out.push(')');
    }
    Ok(())
}

/// `+8`, `-8`: offsets always carry a sign so they cannot be mistaken for other operands.
fn write_offset(out: &mut String, offset: i64) -> fmt::Result {
    if offset < 0 {
        write!(out, "{}", offset)
    } else {
        write!(out, "+{}", offset)
    }
}

fn write_inst(out: &mut String, func: &Function, inst: Inst) -> fmt::Result {
    let Some(data) = func.insts.get(inst.index()) else {
        return write!(out, "<invalid inst{}>", inst.0);
    };
    let results = func
        .inst_results
        .get(inst.index())
        .map_or(&[][..], |r| &r[..]);
    if !results.is_empty() {
        write_values(out, results)?;
        out.push_str(" = ");
    }
    write_inst_data(out, data)?;
    match func.srclocs.get(inst.index()) {
        Some(&loc) if loc != 0 => write!(out, " @{:#x}", loc),
        _ => Ok(()),
    }
}

fn write_inst_data(out: &mut String, data: &InstData) -> fmt::Result {
    use InstData::*;
    match data {
        Iconst { ty, imm } => {
            // i32 constants print as their 32-bit signed value, whatever the upper bits hold.
            let shown = if *ty == Type::I32 {
                *imm as i32 as i64
            } else {
                *imm
            };
            write!(out, "iconst.{} {}", ty, shown)
        }
        F32const { bits } => write!(out, "f32const {:#010x}", bits),
        F64const { bits } => write!(out, "f64const {:#018x}", bits),
        V128const { bytes } => write!(out, "v128const {:#034x}", bytes),
        RefNull => write!(out, "ref_null"),
        Unary { op, ty, arg } => write!(out, "{}.{} v{}", name_of(&UNARY_OPS, *op), ty, arg.0),
        Binary { op, ty, args } => {
            write!(
                out,
                "{}.{} v{}, v{}",
                name_of(&BINARY_OPS, *op),
                ty,
                args[0].0,
                args[1].0
            )
        }
        Icmp { cond, ty, args } => {
            write!(
                out,
                "icmp.{} {} v{}, v{}",
                ty,
                name_of(&INT_CCS, *cond),
                args[0].0,
                args[1].0
            )
        }
        Fcmp { cond, ty, args } => {
            write!(
                out,
                "fcmp.{} {} v{}, v{}",
                ty,
                name_of(&FLOAT_CCS, *cond),
                args[0].0,
                args[1].0
            )
        }
        Conv { op, from, to, arg } => write!(
            out,
            "{}.{}.{} v{}",
            name_of(&CONV_OPS, *op),
            from,
            to,
            arg.0
        ),
        Select { ty, cond, args } => write!(
            out,
            "select.{} v{}, v{}, v{}",
            ty, cond.0, args[0].0, args[1].0
        ),
        IsNull { arg } => write!(out, "is_null v{}", arg.0),
        Simd { op, args } => {
            write!(out, "{} ", op)?;
            write_values(out, args)
        }
        Load {
            ty,
            size,
            heap,
            addr,
            offset,
        } => {
            write!(
                out,
                "load{}.{} v{}, v{}, ",
                name_of(&LOAD_SIZES, *size),
                ty,
                heap.0,
                addr.0
            )?;
            write_offset(out, *offset as i64)
        }
        Store {
            ty,
            size,
            heap,
            addr,
            offset,
            value,
        } => {
            write!(
                out,
                "store{}.{} v{}, v{}, ",
                store_width(*size),
                ty,
                heap.0,
                addr.0
            )?;
            write_offset(out, *offset as i64)?;
            write!(out, ", v{}", value.0)
        }
        LoadPtr {
            ty,
            ptr,
            offset,
            readonly,
        } => {
            let flag = if *readonly { "readonly " } else { "" };
            write!(out, "load_ptr.{} {}v{}, ", ty, flag, ptr.0)?;
            write_offset(out, *offset as i64)
        }
        StorePtr {
            ty,
            ptr,
            offset,
            value,
        } => {
            write!(out, "store_ptr.{} v{}, ", ty, ptr.0)?;
            write_offset(out, *offset as i64)?;
            write!(out, ", v{}", value.0)
        }
        Call { func, sig, args } => {
            write!(out, "call fn{} sig{}(", func, sig.0)?;
            write_values(out, args)?;
            out.push(')');
            Ok(())
        }
        CallIndirect { sig, callee, args } => {
            write!(out, "call_indirect sig{} v{}(", sig.0, callee.0)?;
            write_values(out, args)?;
            out.push(')');
            Ok(())
        }
        CallRuntime { func, args } => {
            write!(out, "call_rt {}(", func.name())?;
            write_values(out, args)?;
            out.push(')');
            Ok(())
        }
        Trapnz { cond, code } => write!(out, "trapnz v{}, {}", cond.0, code.name()),
        Trapz { cond, code } => write!(out, "trapz v{}, {}", cond.0, code.name()),
        Jump { dest } => {
            out.push_str("jump ");
            write_block_call(out, dest)
        }
        Brif {
            cond,
            then_dest,
            else_dest,
        } => {
            write!(out, "brif v{}, ", cond.0)?;
            write_block_call(out, then_dest)?;
            out.push_str(", ");
            write_block_call(out, else_dest)
        }
        BrTable {
            index,
            targets,
            default,
        } => {
            write!(out, "br_table v{}, [", index.0)?;
            for (i, b) in targets.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write!(out, "block{}", b.0)?;
            }
            write!(out, "], block{}", default.0)
        }
        Return { args } => {
            out.push_str("return");
            if !args.is_empty() {
                out.push(' ');
                write_values(out, args)?;
            }
            Ok(())
        }
        Trap { code } => write!(out, "trap {}", code.name()),
    }
}
