//! Random valid IR functions, for testing that the pass pipeline keeps behaviour.
//!
//! Shape: blocks in a row; each may branch forward, or back to an earlier block (loops).
//! A block uses only values it is sure to be dominated by: the entry block's, its own
//! parameters, and what it computed itself. The entry block defines a constant of every type
//! first, so an operand of any type is always at hand. Host memory read by `readonly` loads
//! (offsets below 64) is never written, as the IR's contract requires.

use wasmc::ir::*;

/// xorshift64*: small, deterministic, good enough for test generation.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const SCALARS: [Type; 4] = [Type::I32, Type::I64, Type::F32, Type::F64];
const INTS: [Type; 2] = [Type::I32, Type::I64];
const FLOATS: [Type; 2] = [Type::F32, Type::F64];
const INT_BINARY: [BinaryOp; 15] = [
    BinaryOp::Iadd,
    BinaryOp::Isub,
    BinaryOp::Imul,
    BinaryOp::Sdiv,
    BinaryOp::Udiv,
    BinaryOp::Srem,
    BinaryOp::Urem,
    BinaryOp::And,
    BinaryOp::Or,
    BinaryOp::Xor,
    BinaryOp::Shl,
    BinaryOp::Sshr,
    BinaryOp::Ushr,
    BinaryOp::Rotl,
    BinaryOp::Rotr,
];
const FLOAT_BINARY: [BinaryOp; 7] = [
    BinaryOp::Fadd,
    BinaryOp::Fsub,
    BinaryOp::Fmul,
    BinaryOp::Fdiv,
    BinaryOp::Fmin,
    BinaryOp::Fmax,
    BinaryOp::Fcopysign,
];
const INT_UNARY: [UnaryOp; 5] = [
    UnaryOp::Clz,
    UnaryOp::Ctz,
    UnaryOp::Popcnt,
    UnaryOp::Sext8,
    UnaryOp::Sext16,
];
const FLOAT_UNARY: [UnaryOp; 7] = [
    UnaryOp::Fabs,
    UnaryOp::Fneg,
    UnaryOp::Fsqrt,
    UnaryOp::Fceil,
    UnaryOp::Ffloor,
    UnaryOp::Ftrunc,
    UnaryOp::Fnearest,
];
const INT_CCS: [IntCC; 10] = [
    IntCC::Eq,
    IntCC::Ne,
    IntCC::Slt,
    IntCC::Sle,
    IntCC::Sgt,
    IntCC::Sge,
    IntCC::Ult,
    IntCC::Ule,
    IntCC::Ugt,
    IntCC::Uge,
];
const FLOAT_CCS: [FloatCC; 6] = [
    FloatCC::Eq,
    FloatCC::Ne,
    FloatCC::Lt,
    FloatCC::Le,
    FloatCC::Gt,
    FloatCC::Ge,
];
/// Small constants make identities and folding likely; the rest are edge cases.
const INT_CONSTANTS: [i64; 10] = [0, 1, 2, -1, 3, 31, 32, 64, i32::MIN as i64, i64::MIN];
const FLOAT_BITS: [u64; 6] = [
    0,
    0x8000_0000_0000_0000,
    0x3ff8_0000_0000_0000,
    0x7ff8_0000_0000_0000,
    0x4000_0000_0000_0000,
    0xc004_0000_0000_0000,
];

struct Builder<'a> {
    func: Function,
    rng: &'a mut Rng,
    /// Values usable in the current block: the entry's, then the block's own.
    entry_values: Vec<Value>,
    local: Vec<Value>,
}

impl Builder<'_> {
    fn available(&self, ty: Type) -> Vec<Value> {
        self.entry_values
            .iter()
            .chain(&self.local)
            .copied()
            .filter(|&v| self.func.value_type(v) == ty)
            .collect()
    }

    fn operand(&mut self, ty: Type) -> Value {
        let candidates = self.available(ty);
        self.rng.pick(&candidates)
    }

    fn emit(&mut self, b: Block, data: InstData) -> Option<Value> {
        let types = self.func.result_types_of(&data);
        let inst = self.func.append_inst(b, data, &types, 0);
        let result = self.func.results(inst).first().copied();
        if let Some(v) = result {
            self.local.push(v);
        }
        result
    }

    fn emit_value(&mut self, b: Block, data: InstData) -> Value {
        self.emit(b, data).expect("the instruction has a result")
    }

    fn constant(&mut self, b: Block, ty: Type) -> Option<Value> {
        let data = match ty {
            Type::I32 => InstData::Iconst {
                ty,
                imm: self.rng.pick(&INT_CONSTANTS) as i32 as i64,
            },
            Type::I64 => InstData::Iconst {
                ty,
                imm: self.rng.pick(&INT_CONSTANTS),
            },
            Type::F32 => InstData::F32const {
                bits: (f64::from_bits(self.rng.pick(&FLOAT_BITS)) as f32).to_bits(),
            },
            _ => InstData::F64const {
                bits: self.rng.pick(&FLOAT_BITS),
            },
        };
        self.emit(b, data)
    }

    fn random_inst(&mut self, b: Block, vmctx: Value) {
        let ty = self.rng.pick(&SCALARS);
        let int = INTS.contains(&ty);
        let data = match self.rng.below(12) {
            0 => {
                self.constant(b, ty);
                return;
            }
            1..=3 => {
                let op = if int {
                    self.rng.pick(&INT_BINARY)
                } else {
                    self.rng.pick(&FLOAT_BINARY)
                };
                let args = [self.operand(ty), self.operand(ty)];
                InstData::Binary { op, ty, args }
            }
            4 => {
                let op = if int {
                    self.rng.pick(&INT_UNARY)
                } else {
                    self.rng.pick(&FLOAT_UNARY)
                };
                InstData::Unary {
                    op,
                    ty,
                    arg: self.operand(ty),
                }
            }
            5 if int => InstData::Icmp {
                cond: self.rng.pick(&INT_CCS),
                ty,
                args: [self.operand(ty), self.operand(ty)],
            },
            5 => InstData::Fcmp {
                cond: self.rng.pick(&FLOAT_CCS),
                ty,
                args: [self.operand(ty), self.operand(ty)],
            },
            6 => self.conversion(),
            7 => InstData::Select {
                ty,
                cond: self.operand(Type::I32),
                args: [self.operand(ty), self.operand(ty)],
            },
            8 => {
                // Keep addresses inside the interpreter's 64 KiB memory.
                let mask = self.emit_value(
                    b,
                    InstData::Iconst {
                        ty: Type::I32,
                        imm: 0xfff,
                    },
                );
                let raw = self.operand(Type::I32);
                let addr = self.emit_value(
                    b,
                    InstData::Binary {
                        op: BinaryOp::And,
                        ty: Type::I32,
                        args: [raw, mask],
                    },
                );
                let offset = self.rng.below(16) as u32;
                if self.rng.chance(50) {
                    InstData::Store {
                        ty,
                        size: MemSize::Full,
                        heap: vmctx,
                        addr,
                        offset,
                        value: self.operand(ty),
                    }
                } else {
                    InstData::Load {
                        ty,
                        size: MemSize::Full,
                        heap: vmctx,
                        addr,
                        offset,
                    }
                }
            }
            9 => InstData::LoadPtr {
                ty,
                ptr: vmctx,
                offset: 8 * self.rng.below(8) as i32,
                readonly: true,
            },
            10 if self.rng.chance(50) => InstData::StorePtr {
                ty,
                ptr: vmctx,
                offset: 1024 + 8 * self.rng.below(4) as i32,
                value: self.operand(ty),
            },
            10 => InstData::LoadPtr {
                ty,
                ptr: vmctx,
                offset: 1024 + 8 * self.rng.below(4) as i32,
                readonly: false,
            },
            _ => {
                let code = self
                    .rng
                    .pick(&[TrapCode::IntegerOverflow, TrapCode::Unreachable]);
                let cond = self.operand(Type::I32);
                if self.rng.chance(50) {
                    InstData::Trapz { cond, code }
                } else {
                    InstData::Trapnz { cond, code }
                }
            }
        };
        self.emit(b, data);
    }

    fn conversion(&mut self) -> InstData {
        let (op, from, to) = match self.rng.below(8) {
            0 => (ConvOp::Wrap, Type::I64, Type::I32),
            1 => (
                self.rng.pick(&[ConvOp::Sextend, ConvOp::Uextend]),
                Type::I32,
                Type::I64,
            ),
            2 | 3 => {
                let op = self.rng.pick(&[
                    ConvOp::FcvtToSint,
                    ConvOp::FcvtToUint,
                    ConvOp::FcvtToSintSat,
                    ConvOp::FcvtToUintSat,
                ]);
                (op, self.rng.pick(&FLOATS), self.rng.pick(&INTS))
            }
            4 => (
                self.rng.pick(&[ConvOp::FcvtFromSint, ConvOp::FcvtFromUint]),
                self.rng.pick(&INTS),
                self.rng.pick(&FLOATS),
            ),
            5 => (ConvOp::Fpromote, Type::F32, Type::F64),
            6 => (ConvOp::Fdemote, Type::F64, Type::F32),
            _ => self.rng.pick(&[
                (ConvOp::Bitcast, Type::I32, Type::F32),
                (ConvOp::Bitcast, Type::F32, Type::I32),
                (ConvOp::Bitcast, Type::I64, Type::F64),
                (ConvOp::Bitcast, Type::F64, Type::I64),
            ]),
        };
        InstData::Conv {
            op,
            from,
            to,
            arg: self.operand(from),
        }
    }

    fn call_to(&mut self, target: Block) -> BlockCall {
        let types: Vec<Type> = self.func.blocks[target.index()]
            .params
            .iter()
            .map(|&p| self.func.value_type(p))
            .collect();
        BlockCall {
            block: target,
            args: types.into_iter().map(|ty| self.operand(ty)).collect(),
        }
    }
}

/// A random function `(i64 vmctx, i32, i64, f64) -> (i32, f64)` of a few blocks.
pub fn random_function(rng: &mut Rng) -> Function {
    let sig = Signature {
        params: vec![Type::I64, Type::I32, Type::I64, Type::F64],
        results: vec![Type::I32, Type::F64],
    };
    let mut builder = Builder {
        func: Function::new("random", sig.clone()),
        rng,
        entry_values: Vec::new(),
        local: Vec::new(),
    };
    let num_blocks = 1 + builder.rng.below(6);
    let blocks: Vec<Block> = (0..num_blocks)
        .map(|_| builder.func.create_block())
        .collect();
    for &b in &blocks {
        builder.func.append_block(b);
    }
    let vmctx = builder.func.append_block_param(blocks[0], Type::I64);
    for &ty in &sig.params[1..] {
        let v = builder.func.append_block_param(blocks[0], ty);
        builder.local.push(v);
    }
    builder.local.push(vmctx);
    for &b in &blocks[1..] {
        for _ in 0..builder.rng.below(4) {
            let ty = builder.rng.pick(&SCALARS);
            builder.func.append_block_param(b, ty);
        }
    }
    for (i, &b) in blocks.iter().enumerate() {
        if i > 0 {
            builder.local = builder.func.blocks[b.index()].params.clone();
        } else {
            for ty in SCALARS {
                builder.constant(b, ty);
            }
        }
        for _ in 0..builder.rng.below(10) {
            builder.random_inst(b, vmctx);
        }
        if i == 0 {
            builder.entry_values = std::mem::take(&mut builder.local);
        }
        let later = &blocks[i + 1..];
        let terminator = if later.is_empty() || builder.rng.chance(10) {
            let args = vec![builder.operand(Type::I32), builder.operand(Type::F64)];
            InstData::Return { args }
        } else {
            let forward = builder.rng.pick(later);
            // Back edges (to a non-entry block at or before this one) make loops.
            let other = if i > 0 && builder.rng.chance(30) {
                blocks[1 + builder.rng.below(i)]
            } else {
                builder.rng.pick(later)
            };
            let no_params = |f: &Function, x: Block| f.blocks[x.index()].params.is_empty();
            if builder.rng.chance(15)
                && no_params(&builder.func, forward)
                && no_params(&builder.func, other)
            {
                InstData::BrTable {
                    index: builder.operand(Type::I32),
                    targets: vec![other, forward],
                    default: forward,
                }
            } else if builder.rng.chance(25) {
                InstData::Jump {
                    dest: builder.call_to(forward),
                }
            } else {
                let cond = builder.operand(Type::I32);
                let then_dest = builder.call_to(other);
                let else_dest = builder.call_to(forward);
                InstData::Brif {
                    cond,
                    then_dest,
                    else_dest,
                }
            }
        };
        builder.emit(b, terminator);
    }
    builder.func
}
