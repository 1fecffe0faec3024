//! A reference interpreter of the IR for differential tests: a pass must not change what a
//! function returns or how it traps. It is written apart from the passes' constant evaluator
//! (`passes::eval`), so a folding bug cannot hide behind the same mistake in the checker.
//!
//! Linear memory is a 64 KiB byte array whatever the heap base; host memory (`load_ptr`,
//! `store_ptr`) is a map whose unwritten words read as a fixed function of their address.
//! Calls are not modelled: a function that makes one is reported as unsupported.

use std::collections::HashMap;
use wasmc::ir::*;

#[derive(Copy, Clone, Debug)]
pub enum Val {
    I32(u32),
    I64(u64),
    F32(u32),
    F64(u64),
    V128(u128),
}

impl Val {
    fn is_nan(self) -> bool {
        match self {
            Val::F32(b) => f32::from_bits(b).is_nan(),
            Val::F64(b) => f64::from_bits(b).is_nan(),
            _ => false,
        }
    }

    /// Bits of the value, zero-extended.
    fn bits(self) -> u128 {
        match self {
            Val::I32(x) | Val::F32(x) => x as u128,
            Val::I64(x) | Val::F64(x) => x as u128,
            Val::V128(x) => x,
        }
    }

    /// An argument of type `ty` made from `seed` bits.
    pub fn of_type(ty: Type, seed: u64) -> Val {
        match ty {
            Type::I32 => Val::I32(seed as u32),
            Type::I64 | Type::Ref => Val::I64(seed),
            Type::F32 => Val::F32(seed as u32),
            Type::F64 => Val::F64(seed),
            Type::V128 => Val::V128(seed as u128),
        }
    }
}

/// Equal bits, except that any two NaNs are equal: Wasm leaves NaN payloads open.
impl PartialEq for Val {
    fn eq(&self, other: &Val) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
            && ((self.is_nan() && other.is_nan()) || self.bits() == other.bits())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Return(Vec<Val>),
    Trap(TrapCode),
    /// The function does something the interpreter does not model.
    Unsupported(String),
    /// Still running after the step budget.
    OutOfFuel,
}

const MEMORY_SIZE: u64 = 1 << 16;

struct Machine {
    values: HashMap<Value, Val>,
    memory: Vec<u8>,
    host: HashMap<u64, u64>,
}

enum Step {
    Next,
    Goto(Block, Vec<Val>),
    Done(Outcome),
}

pub fn run(func: &Function, args: &[Val], fuel: u32) -> Outcome {
    let mut m = Machine {
        values: HashMap::new(),
        memory: vec![0; MEMORY_SIZE as usize],
        host: HashMap::new(),
    };
    let mut block = func.entry();
    let mut incoming = args.to_vec();
    for _ in 0..fuel {
        for (&p, &v) in func.blocks[block.index()].params.iter().zip(&incoming) {
            m.values.insert(p, v);
        }
        let mut next = None;
        for &inst in &func.blocks[block.index()].insts {
            match m.step(func, inst) {
                Step::Next => {}
                Step::Goto(b, vals) => {
                    next = Some((b, vals));
                    break;
                }
                Step::Done(outcome) => return outcome,
            }
        }
        let Some((b, vals)) = next else {
            return Outcome::Unsupported("fell off a block".into());
        };
        block = b;
        incoming = vals;
    }
    Outcome::OutOfFuel
}

fn int_result(ty: Type, x: u64) -> Val {
    if ty == Type::I32 {
        Val::I32(x as u32)
    } else {
        Val::I64(x)
    }
}

/// An integer operand as (unsigned bits, signed value, width).
fn int_parts(v: Val) -> (u64, i64, u32) {
    match v {
        Val::I32(x) => (x as u64, x as i32 as i64, 32),
        Val::I64(x) => (x, x as i64, 64),
        other => (other.bits() as u64, other.bits() as i64, 64),
    }
}

fn float_of(v: Val) -> f64 {
    match v {
        Val::F32(b) => f32::from_bits(b) as f64,
        Val::F64(b) => f64::from_bits(b),
        _ => f64::NAN,
    }
}

fn float_result(ty: Type, x: f64) -> Val {
    if ty == Type::F32 {
        Val::F32((x as f32).to_bits())
    } else {
        Val::F64(x.to_bits())
    }
}

impl Machine {
    fn get(&self, v: Value) -> Val {
        self.values
            .get(&v)
            .copied()
            .unwrap_or(Val::I32(0xdead_beef))
    }

    fn vals(&self, vs: &[Value]) -> Vec<Val> {
        vs.iter().map(|&v| self.get(v)).collect()
    }

    fn set(&mut self, func: &Function, inst: Inst, v: Val) {
        self.values.insert(func.results(inst)[0], v);
    }

    fn step(&mut self, func: &Function, inst: Inst) -> Step {
        use InstData::*;
        let trap = |code| Step::Done(Outcome::Trap(code));
        let result = match &func.insts[inst.index()] {
            Iconst { ty, imm } => int_result(*ty, *imm as u64),
            F32const { bits } => Val::F32(*bits),
            F64const { bits } => Val::F64(*bits),
            V128const { bytes } => Val::V128(*bytes),
            RefNull => Val::I64(0),
            IsNull { arg } => Val::I32((self.get(*arg).bits() == 0) as u32),
            Unary { op, ty, arg } => unary(*op, *ty, self.get(*arg)),
            Binary { op, ty, args } => match binary(*op, *ty, self.get(args[0]), self.get(args[1]))
            {
                Ok(v) => v,
                Err(code) => return trap(code),
            },
            Icmp { cond, args, .. } => {
                Val::I32(icmp(*cond, self.get(args[0]), self.get(args[1])) as u32)
            }
            Fcmp { cond, args, .. } => {
                let (x, y) = (float_of(self.get(args[0])), float_of(self.get(args[1])));
                let r = match cond {
                    FloatCC::Eq => x == y,
                    FloatCC::Ne => x != y,
                    FloatCC::Lt => x < y,
                    FloatCC::Le => x <= y,
                    FloatCC::Gt => x > y,
                    FloatCC::Ge => x >= y,
                };
                Val::I32(r as u32)
            }
            Conv { op, to, arg, .. } => match convert(*op, *to, self.get(*arg)) {
                Ok(v) => v,
                Err(code) => return trap(code),
            },
            Select { cond, args, .. } => self.get(if self.get(*cond).bits() != 0 {
                args[0]
            } else {
                args[1]
            }),
            Load {
                ty,
                size,
                addr,
                offset,
                ..
            } => {
                let at = self.get(*addr).bits() as u64 + *offset as u64;
                let n = size.bytes(*ty) as u64;
                if at + n > MEMORY_SIZE {
                    return trap(TrapCode::MemoryOutOfBounds);
                }
                let mut raw = 0u64;
                for i in (0..n).rev() {
                    raw = raw << 8 | self.memory[(at + i) as usize] as u64;
                }
                let signed = matches!(size, MemSize::S8 | MemSize::S16 | MemSize::S32);
                if signed {
                    let shift = 64 - 8 * n;
                    raw = (((raw << shift) as i64) >> shift) as u64;
                }
                Val::of_type(*ty, raw)
            }
            Store {
                ty,
                size,
                addr,
                offset,
                value,
                ..
            } => {
                let at = self.get(*addr).bits() as u64 + *offset as u64;
                let n = size.bytes(*ty) as u64;
                if at + n > MEMORY_SIZE {
                    return trap(TrapCode::MemoryOutOfBounds);
                }
                let bits = self.get(*value).bits();
                for i in 0..n {
                    self.memory[(at + i) as usize] = (bits >> (8 * i)) as u8;
                }
                return Step::Next;
            }
            LoadPtr {
                ty, ptr, offset, ..
            } => {
                let at = (self.get(*ptr).bits() as u64).wrapping_add(*offset as i64 as u64);
                // Unwritten host memory reads as a scramble of its address.
                let word = self
                    .host
                    .get(&at)
                    .copied()
                    .unwrap_or(at.wrapping_mul(0x9e37_79b9_7f4a_7c15));
                Val::of_type(*ty, word)
            }
            StorePtr {
                ptr, offset, value, ..
            } => {
                let at = (self.get(*ptr).bits() as u64).wrapping_add(*offset as i64 as u64);
                self.host.insert(at, self.get(*value).bits() as u64);
                return Step::Next;
            }
            Call { .. } | CallIndirect { .. } | CallRuntime { .. } => {
                return Step::Done(Outcome::Unsupported("calls".into()))
            }
            Trapnz { cond, code } => {
                return if self.get(*cond).bits() != 0 {
                    trap(*code)
                } else {
                    Step::Next
                };
            }
            Trapz { cond, code } => {
                return if self.get(*cond).bits() == 0 {
                    trap(*code)
                } else {
                    Step::Next
                };
            }
            Jump { dest } => return Step::Goto(dest.block, self.vals(&dest.args)),
            Brif {
                cond,
                then_dest,
                else_dest,
            } => {
                let dest = if self.get(*cond).bits() != 0 {
                    then_dest
                } else {
                    else_dest
                };
                return Step::Goto(dest.block, self.vals(&dest.args));
            }
            BrTable {
                index,
                targets,
                default,
            } => {
                let i = self.get(*index).bits() as usize;
                return Step::Goto(targets.get(i).copied().unwrap_or(*default), Vec::new());
            }
            Return { args } => return Step::Done(Outcome::Return(self.vals(args))),
            Trap { code } => return trap(*code),
            #[allow(unreachable_patterns)] // vector operations, as they are added to the IR
            other => return Step::Done(Outcome::Unsupported(format!("{:?}", other))),
        };
        self.set(func, inst, result);
        Step::Next
    }
}

fn unary(op: UnaryOp, ty: Type, a: Val) -> Val {
    use UnaryOp::*;
    let (u, _, w) = int_parts(a);
    let x = float_of(a);
    match op {
        Clz => int_result(ty, (u << (64 - w)).leading_zeros().min(w) as u64),
        Ctz => int_result(ty, u.trailing_zeros().min(w) as u64),
        Popcnt => int_result(ty, u.count_ones() as u64),
        Sext8 => int_result(ty, u as u8 as i8 as i64 as u64),
        Sext16 => int_result(ty, u as u16 as i16 as i64 as u64),
        Sext32 => int_result(ty, u as u32 as i32 as i64 as u64),
        Fabs => float_result(ty, x.abs()),
        Fneg => float_result(ty, -x),
        Fsqrt if ty == Type::F32 => Val::F32((x as f32).sqrt().to_bits()),
        Fsqrt => float_result(ty, x.sqrt()),
        Fceil => float_result(ty, x.ceil()),
        Ffloor => float_result(ty, x.floor()),
        Ftrunc => float_result(ty, x.trunc()),
        Fnearest => {
            // Ties to even, spelled out rather than borrowed from the standard library.
            let r = x.round();
            let tie = (x - x.trunc()).abs() == 0.5;
            let even = if tie && r % 2.0 != 0.0 {
                r - x.signum()
            } else {
                r
            };
            float_result(
                ty,
                if even == 0.0 {
                    0.0f64.copysign(x)
                } else {
                    even
                },
            )
        }
    }
}

fn binary(op: BinaryOp, ty: Type, a: Val, b: Val) -> Result<Val, TrapCode> {
    use BinaryOp::*;
    let (ua, sa, w) = int_parts(a);
    let (ub, sb, _) = int_parts(b);
    let mask = if w == 32 { 0xffff_ffff } else { u64::MAX };
    let min = if w == 32 { i32::MIN as i64 } else { i64::MIN };
    let count = (ub % w as u64) as u32;
    let (x, y) = (float_of(a), float_of(b));
    let int = |v: u64| Ok(int_result(ty, v & mask));
    let float = |v: f64| Ok(float_result(ty, v));
    match op {
        Iadd => int(ua.wrapping_add(ub)),
        Isub => int(ua.wrapping_sub(ub)),
        Imul => int(ua.wrapping_mul(ub)),
        Sdiv | Udiv | Srem | Urem if ub == 0 => Err(TrapCode::IntegerDivideByZero),
        Sdiv if sa == min && sb == -1 => Err(TrapCode::IntegerOverflow),
        Sdiv => int((sa / sb) as u64),
        Srem if sb == -1 => int(0),
        Srem => int((sa % sb) as u64),
        Udiv => int(ua / ub),
        Urem => int(ua % ub),
        And => int(ua & ub),
        Or => int(ua | ub),
        Xor => int(ua ^ ub),
        Shl => int(ua << count),
        Sshr => int((sa >> count) as u64),
        Ushr => int(ua >> count),
        Rotl => int(if count == 0 {
            ua
        } else {
            ua << count | ua >> (w - count)
        }),
        Rotr => int(if count == 0 {
            ua
        } else {
            ua >> count | ua << (w - count)
        }),
        Fadd if ty == Type::F32 => Ok(Val::F32((x as f32 + y as f32).to_bits())),
        Fsub if ty == Type::F32 => Ok(Val::F32((x as f32 - y as f32).to_bits())),
        Fmul if ty == Type::F32 => Ok(Val::F32((x as f32 * y as f32).to_bits())),
        Fdiv if ty == Type::F32 => Ok(Val::F32((x as f32 / y as f32).to_bits())),
        Fadd => float(x + y),
        Fsub => float(x - y),
        Fmul => float(x * y),
        Fdiv => float(x / y),
        Fmin | Fmax if x.is_nan() || y.is_nan() => float(f64::NAN),
        Fmin if x == 0.0 && y == 0.0 => float(if x.is_sign_negative() { x } else { y }),
        Fmax if x == 0.0 && y == 0.0 => float(if x.is_sign_positive() { x } else { y }),
        Fmin => float(if x < y { x } else { y }),
        Fmax => float(if x > y { x } else { y }),
        Fcopysign => float(x.copysign(y)),
    }
}

fn icmp(cond: IntCC, a: Val, b: Val) -> bool {
    let (ua, sa, _) = int_parts(a);
    let (ub, sb, _) = int_parts(b);
    match cond {
        IntCC::Eq => ua == ub,
        IntCC::Ne => ua != ub,
        IntCC::Slt => sa < sb,
        IntCC::Sle => sa <= sb,
        IntCC::Sgt => sa > sb,
        IntCC::Sge => sa >= sb,
        IntCC::Ult => ua < ub,
        IntCC::Ule => ua <= ub,
        IntCC::Ugt => ua > ub,
        IntCC::Uge => ua >= ub,
    }
}

fn convert(op: ConvOp, to: Type, a: Val) -> Result<Val, TrapCode> {
    use ConvOp::*;
    let (u, s, w) = int_parts(a);
    let x = float_of(a);
    let to_int = |t: f64, signed: bool| -> Result<u64, TrapCode> {
        if t.is_nan() {
            return Err(TrapCode::InvalidConversion);
        }
        let t = t.trunc();
        let bits = if to == Type::I32 { 32 } else { 64 };
        let (lo, hi) = if signed {
            (-(2f64.powi(bits - 1)), 2f64.powi(bits - 1))
        } else {
            (0.0, 2f64.powi(bits))
        };
        if t < lo || t >= hi {
            return Err(TrapCode::IntegerOverflow);
        }
        Ok(if signed { t as i64 as u64 } else { t as u64 })
    };
    Ok(match op {
        Wrap => Val::I32(u as u32),
        Sextend => Val::I64(s as u64),
        Uextend => Val::I64(u),
        FcvtToSint => int_result(to, to_int(x, true)?),
        FcvtToUint => int_result(to, to_int(x, false)?),
        FcvtToSintSat | FcvtToUintSat => {
            let signed = op == FcvtToSintSat;
            let bits = if to == Type::I32 { 32 } else { 64 };
            let (lo, hi) = if signed {
                (-(2f64.powi(bits - 1)), 2f64.powi(bits - 1))
            } else {
                (0.0, 2f64.powi(bits))
            };
            let t = x.trunc();
            let v = if x.is_nan() {
                0
            } else if t < lo {
                lo as i64 as u64
            } else if t >= hi {
                if signed {
                    (hi as u64) - 1
                } else {
                    u64::MAX
                }
            } else if signed {
                t as i64 as u64
            } else {
                t as u64
            };
            int_result(to, v)
        }
        FcvtFromSint | FcvtFromUint => {
            let signed = op == FcvtFromSint;
            // Convert from the exact integer; one rounding step straight to the target type.
            match (to, w, signed) {
                (Type::F32, 32, true) => Val::F32((s as i32 as f32).to_bits()),
                (Type::F32, 32, false) => Val::F32((u as u32 as f32).to_bits()),
                (Type::F32, _, true) => Val::F32((s as f32).to_bits()),
                (Type::F32, _, false) => Val::F32((u as f32).to_bits()),
                (_, 32, true) => Val::F64((s as i32 as f64).to_bits()),
                (_, 32, false) => Val::F64((u as u32 as f64).to_bits()),
                (_, _, true) => Val::F64((s as f64).to_bits()),
                (_, _, false) => Val::F64((u as f64).to_bits()),
            }
        }
        Fpromote => Val::F64(x.to_bits()),
        Fdemote => Val::F32((x as f32).to_bits()),
        Bitcast => Val::of_type(to, a.bits() as u64),
    })
}
