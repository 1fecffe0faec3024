//! A reference interpreter of the IR, with a simulated instance (vmctx, tables, funcrefs,
//! globals, linear memory) laid out as `wasmc::vmctx` says and a model of runtime-lib's
//! functions, so translated functions can be run against the spec suite's assertions.
//!
//! Addresses: host memory (vmctx and everything it points to) starts at `HOST_BASE`; linear
//! memory at `HEAP_BASE`. A funcref's code pointer is `CODE_BASE + function index`.

use std::rc::Rc;
use wasmc::decode::{ConstOp, DataMode, ElementItems, ElementMode, FuncType, ImportKind, Module, ValType};
use wasmc::ir::{self, BinaryOp, ConvOp, FloatCC, Function, InstData, IntCC, MemSize, RuntimeFn, TrapCode, Type, UnaryOp};
use wasmc::vmctx::{self, VmctxLayout};

const HOST_BASE: u64 = 0x1_0000;
const HEAP_BASE: u64 = 1 << 40;
const CODE_BASE: u64 = 1 << 32;
const PAGE: u64 = 65536;
const MAX_DEPTH: usize = 2000;
/// Externref values are tagged so that `ref.extern 0` is not null.
pub const EXTERN_TAG: u64 = 1 << 48;

pub type Trap = TrapCode;

/// Why a module cannot be run by the interpreter.
pub struct Unsupported(pub String);

struct Table {
    desc: u64,
    max: u64,
}

pub struct Instance {
    pub module: Module,
    layout: VmctxLayout,
    vmctx: u64,
    host: Vec<u8>,
    memory: Vec<u8>,
    memory_max: u64,
    memory_desc: u64,
    tables: Vec<Table>,
    data: Vec<Option<Vec<u8>>>,
    elems: Vec<Option<Vec<u64>>>,
    funcs: Rc<Vec<Function>>,
    canonical_types: Vec<u32>,
}

fn bits_of(ty: Type) -> u32 {
    ty.bytes() * 8
}

fn mask(ty: Type, v: u128) -> u128 {
    match ty.bytes() {
        4 => v & 0xFFFF_FFFF,
        8 => v & 0xFFFF_FFFF_FFFF_FFFF,
        _ => v,
    }
}

impl Instance {
    /// Instantiate `module` with the spectest imports; `funcs` are the translated defined
    /// functions, in order.
    pub fn new(module: Module, bytes: &[u8], funcs: Vec<Function>) -> Result<Instance, Unsupported> {
        let layout = VmctxLayout::new(module.types.len() as u32, module.num_funcs(), module.num_tables(), module.num_globals());
        let canonical_types = (0..module.types.len())
            .map(|i| module.types.iter().position(|t| *t == module.types[i]).unwrap_or(i) as u32)
            .collect();
        let mut inst = Instance {
            layout,
            vmctx: 0,
            host: Vec::new(),
            memory: Vec::new(),
            memory_max: 65536,
            memory_desc: 0,
            tables: Vec::new(),
            data: Vec::new(),
            elems: Vec::new(),
            funcs: Rc::new(funcs),
            canonical_types,
            module,
        };
        inst.vmctx = inst.alloc(inst.layout.size as u64);
        inst.setup(bytes)?;
        Ok(inst)
    }

    fn alloc(&mut self, size: u64) -> u64 {
        let at = (self.host.len() as u64 + 15) / 16 * 16;
        self.host.resize((at + size.max(1)) as usize, 0);
        HOST_BASE + at
    }

    fn read_host(&self, addr: u64, bytes: u32) -> Option<u128> {
        let at = addr.checked_sub(HOST_BASE)? as usize;
        let slice = self.host.get(at..at + bytes as usize)?;
        let mut buf = [0u8; 16];
        buf[..slice.len()].copy_from_slice(slice);
        Some(u128::from_le_bytes(buf))
    }

    fn write_host(&mut self, addr: u64, bytes: u32, v: u128) -> Option<()> {
        let at = addr.checked_sub(HOST_BASE)? as usize;
        let slice = self.host.get_mut(at..at + bytes as usize)?;
        slice.copy_from_slice(&v.to_le_bytes()[..bytes as usize]);
        Some(())
    }

    fn w64(&mut self, addr: u64, v: u64) {
        self.write_host(addr, 8, v.into()).expect("host write in bounds");
    }

    fn r64(&self, addr: u64) -> u64 {
        self.read_host(addr, 8).unwrap_or(0) as u64
    }

    fn type_id_of_func(&self, func: u32) -> u32 {
        let ti = self.module.func_type_index(func).unwrap_or(0) as usize;
        self.canonical_types.get(ti).copied().unwrap_or(u32::MAX)
    }

    pub fn funcref(&self, func: u32) -> u64 {
        self.vmctx + self.layout.funcref(func) as u64
    }

    fn setup(&mut self, bytes: &[u8]) -> Result<(), Unsupported> {
        let vm = self.vmctx;
        let mut imported_tables = Vec::new();
        let mut imported_memory = None;
        let mut imported_globals = Vec::new();
        for import in &self.module.imports {
            if import.module != "spectest" {
                return Err(Unsupported(format!("import from {}", import.module)));
            }
            match (&import.kind, import.field.as_str()) {
                (ImportKind::Func(_), _) => {}
                // spectest's table has 10 to 20 elements, its memory 1 to 2 pages.
                (ImportKind::Table(_), "table") => imported_tables.push((10, 20)),
                (ImportKind::Memory(_), "memory") => imported_memory = Some((1, 2)),
                (ImportKind::Global(g), name) => {
                    let value: u128 = match (g.ty, name) {
                        (ValType::I32, "global_i32") | (ValType::I64, "global_i64") => 666,
                        (ValType::F32, "global_f32") => 666.6f32.to_bits().into(),
                        (ValType::F64, "global_f64") => 666.6f64.to_bits().into(),
                        _ => return Err(Unsupported(format!("spectest global {name}"))),
                    };
                    imported_globals.push(value);
                }
                (_, name) => return Err(Unsupported(format!("spectest import {name}"))),
            }
        }
        for f in 0..self.module.num_funcs() {
            let fr = self.funcref(f);
            self.w64(fr + vmctx::FUNCREF_CODE as u64, CODE_BASE + f as u64);
            self.w64(fr + vmctx::FUNCREF_VMCTX as u64, vm);
            let id = self.type_id_of_func(f);
            self.write_host(fr + vmctx::FUNCREF_TYPE_ID as u64, 4, id.into()).expect("in bounds");
        }
        for (i, &id) in self.canonical_types.clone().iter().enumerate() {
            self.write_host(vm + self.layout.type_id(i as u32) as u64, 4, id.into()).expect("in bounds");
        }
        // Memory.
        let mem = imported_memory.or_else(|| self.module.memories.first().map(|m| (m.limits.min, m.limits.max.unwrap_or(65536))));
        self.memory_desc = self.alloc(16);
        if let Some((min, max)) = mem {
            if min > 1024 {
                return Err(Unsupported("memory too large for the interpreter".into()));
            }
            self.memory = vec![0; (min * PAGE) as usize];
            self.memory_max = max;
        }
        let desc = self.memory_desc;
        self.w64(desc + vmctx::MEMORY_BASE as u64, HEAP_BASE);
        self.w64(desc + vmctx::MEMORY_LENGTH as u64, self.memory.len() as u64);
        self.w64(vm + vmctx::MEM0_BASE as u64, HEAP_BASE);
        self.w64(vm + vmctx::MEM0_DEF as u64, desc);
        // Tables.
        let defined_tables: Vec<(u64, u64)> = self.module.tables.iter().map(|t| (t.limits.min, t.limits.max.unwrap_or(u32::MAX as u64))).collect();
        for (i, (min, max)) in imported_tables.into_iter().chain(defined_tables).enumerate() {
            if min > 1 << 20 {
                return Err(Unsupported("table too large for the interpreter".into()));
            }
            let desc = self.alloc(16);
            let elems = self.alloc(min * 8);
            self.w64(desc + vmctx::TABLE_ELEMS as u64, elems);
            self.w64(desc + vmctx::TABLE_SIZE as u64, min);
            self.w64(vm + self.layout.table(i as u32) as u64, desc);
            self.tables.push(Table { desc, max });
        }
        // Globals.
        for (i, value) in imported_globals.into_iter().enumerate() {
            let cell = self.alloc(16);
            self.write_host(cell, 16, value).expect("in bounds");
            self.w64(vm + self.layout.global(i as u32) as u64, cell);
        }
        let first = self.module.num_imported_globals();
        for (i, g) in self.module.globals.clone().iter().enumerate() {
            let v = self.eval_const(g.init.op)?;
            self.write_host(vm + self.layout.global(first + i as u32) as u64, 16, v).expect("in bounds");
        }
        // Segments.
        for seg in self.module.elements.clone() {
            let items: Vec<u64> = match &seg.items {
                ElementItems::Functions(fs) => fs.iter().map(|&f| self.funcref(f)).collect(),
                ElementItems::Expressions(es) => es.iter().map(|e| self.eval_const(e.op).map(|v| v as u64)).collect::<Result<_, _>>()?,
            };
            match seg.mode {
                ElementMode::Passive => self.elems.push(Some(items)),
                ElementMode::Declarative => self.elems.push(None),
                ElementMode::Active { table, offset } => {
                    let at = self.eval_const(offset.op)? as u32;
                    let n = items.len() as u32;
                    self.elems.push(Some(items));
                    let seg_index = self.elems.len() as u32 - 1;
                    self.table_init(table, seg_index, at, 0, n).map_err(|_| Unsupported("element segment out of bounds".into()))?;
                    self.elems[seg_index as usize] = None;
                }
            }
        }
        for seg in self.module.data.clone() {
            let contents = seg.bytes(bytes).to_vec();
            match seg.mode {
                DataMode::Passive => self.data.push(Some(contents)),
                DataMode::Active { offset, .. } => {
                    let at = self.eval_const(offset.op)? as u32 as usize;
                    let dst = self.memory.get_mut(at..at + contents.len());
                    dst.ok_or_else(|| Unsupported("data segment out of bounds".into()))?.copy_from_slice(&contents);
                    self.data.push(None);
                }
            }
        }
        Ok(())
    }

    fn eval_const(&self, op: ConstOp) -> Result<u128, Unsupported> {
        Ok(match op {
            ConstOp::I32Const(v) => v as u32 as u128,
            ConstOp::I64Const(v) => v as u64 as u128,
            ConstOp::F32Const(b) => b as u128,
            ConstOp::F64Const(b) => b as u128,
            ConstOp::V128Const(b) => u128::from_le_bytes(b),
            ConstOp::RefNull(_) => 0,
            ConstOp::RefFunc(f) => self.funcref(f) as u128,
            ConstOp::GlobalGet(g) => self.global(g),
        })
    }

    pub fn global(&self, g: u32) -> u128 {
        let slot = self.vmctx + self.layout.global(g) as u64;
        let cell = if g < self.module.num_imported_globals() { self.r64(slot) } else { slot };
        self.read_host(cell, 16).unwrap_or(0)
    }

    pub fn func_type(&self, func: u32) -> Option<FuncType> {
        self.module.func_type(func).cloned()
    }

    /// Call function `func` (imports first) with Wasm arguments.
    pub fn invoke(&mut self, func: u32, args: &[u128]) -> Result<Vec<u128>, Trap> {
        let code = CODE_BASE + func as u64;
        let mut full = vec![self.vmctx as u128];
        full.extend_from_slice(args);
        self.call_code(code, &full, 0)
    }

    /// Run a function that is not part of the module (an array-call trampoline).
    pub fn run_extra(&mut self, func: &Function, args: &[u128]) -> Result<Vec<u128>, Trap> {
        self.run(func, args, 0)
    }

    /// Allocate an array of `n` `wasmc_val`s in host memory.
    pub fn alloc_vals(&mut self, vals: &[u128], n: usize) -> u64 {
        let at = self.alloc((n.max(1) as u64) * vmctx::VAL_SIZE as u64);
        for (i, &v) in vals.iter().enumerate() {
            self.write_host(at + i as u64 * 16, 16, v).expect("in bounds");
        }
        at
    }

    pub fn read_val(&self, at: u64, i: usize, ty: Type) -> u128 {
        self.read_host(at + i as u64 * 16, ty.bytes()).unwrap_or(0)
    }

    pub fn vmctx(&self) -> u64 {
        self.vmctx
    }

    fn call_code(&mut self, code: u64, args: &[u128], depth: usize) -> Result<Vec<u128>, Trap> {
        let func = code.wrapping_sub(CODE_BASE);
        let imported = self.module.num_imported_funcs() as u64;
        if func < imported {
            // spectest's print functions.
            return Ok(Vec::new());
        }
        let funcs = Rc::clone(&self.funcs);
        let f = funcs.get((func - imported) as usize).ok_or(TrapCode::Unreachable)?;
        self.run(f, args, depth)
    }

    fn run(&mut self, f: &Function, args: &[u128], depth: usize) -> Result<Vec<u128>, Trap> {
        if depth > MAX_DEPTH {
            return Err(TrapCode::StackOverflow);
        }
        let mut vals = vec![0u128; f.values.len()];
        let mut block = f.entry();
        for (p, &a) in f.blocks[block.index()].params.iter().zip(args) {
            vals[p.index()] = a;
        }
        loop {
            let mut next = None;
            for &inst in &f.blocks[block.index()].insts {
                let data = &f.insts[inst.index()];
                let get = |v: ir::Value| vals[v.index()];
                let results: Vec<u128> = match data {
                    InstData::Jump { dest } => {
                        next = Some((dest.block, dest.args.iter().map(|&v| get(v)).collect::<Vec<_>>()));
                        break;
                    }
                    InstData::Brif { cond, then_dest, else_dest } => {
                        let d = if get(*cond) as u32 != 0 { then_dest } else { else_dest };
                        next = Some((d.block, d.args.iter().map(|&v| get(v)).collect()));
                        break;
                    }
                    InstData::BrTable { index, targets, default } => {
                        let i = get(*index) as u32 as usize;
                        next = Some((*targets.get(i).unwrap_or(default), Vec::new()));
                        break;
                    }
                    InstData::Return { args } => return Ok(args.iter().map(|&v| get(v)).collect()),
                    InstData::Trap { code } => return Err(*code),
                    InstData::Call { func, args, .. } => {
                        let a: Vec<u128> = args.iter().map(|&v| get(v)).collect();
                        self.call_code(CODE_BASE + *func as u64, &a, depth + 1)?
                    }
                    InstData::CallIndirect { callee, args, .. } => {
                        let a: Vec<u128> = args.iter().map(|&v| get(v)).collect();
                        self.call_code(get(*callee) as u64, &a, depth + 1)?
                    }
                    InstData::CallRuntime { func, args } => {
                        let a: Vec<u128> = args.iter().map(|&v| get(v)).collect();
                        self.runtime(*func, &a[1..])?
                    }
                    other => vec![self.eval(other, &get)?],
                };
                for (r, v) in f.results(inst).iter().zip(results) {
                    vals[r.index()] = mask(f.value_type(*r), v);
                }
            }
            let (b, args) = next.ok_or(TrapCode::Unreachable)?;
            for (p, a) in f.blocks[b.index()].params.iter().zip(args) {
                vals[p.index()] = a;
            }
            block = b;
        }
    }

    fn heap_index(&self, heap: u128, addr: u128, offset: u32, bytes: u32) -> Result<usize, Trap> {
        let ea = (heap as u64).wrapping_sub(HEAP_BASE) + addr as u32 as u64 + offset as u64;
        if ea + bytes as u64 > self.memory.len() as u64 {
            return Err(TrapCode::MemoryOutOfBounds);
        }
        Ok(ea as usize)
    }

    /// Every non-control instruction with one result (or none: the result is then ignored).
    fn eval(&mut self, data: &InstData, get: &dyn Fn(ir::Value) -> u128) -> Result<u128, Trap> {
        Ok(match *data {
            InstData::Iconst { ty, imm } => mask(ty, imm as u128),
            InstData::F32const { bits } => bits.into(),
            InstData::F64const { bits } => bits.into(),
            InstData::V128const { bytes } => bytes,
            InstData::RefNull => 0,
            InstData::Unary { op, ty, arg } => unary(op, ty, get(arg)),
            InstData::Binary { op, ty, args } => binary(op, ty, get(args[0]), get(args[1]))?,
            InstData::Icmp { cond, ty, args } => icmp(cond, ty, get(args[0]), get(args[1])) as u128,
            InstData::Fcmp { cond, ty, args } => fcmp(cond, ty, get(args[0]), get(args[1])) as u128,
            InstData::Conv { op, from, to, arg } => conv(op, from, to, get(arg))?,
            InstData::Select { cond, args, .. } => get(if get(cond) as u32 != 0 { args[0] } else { args[1] }),
            InstData::IsNull { arg } => (get(arg) as u64 == 0) as u128,
            InstData::Load { ty, size, heap, addr, offset } => {
                let n = size.bytes(ty);
                let at = self.heap_index(get(heap), get(addr), offset, n)?;
                let mut buf = [0u8; 16];
                buf[..n as usize].copy_from_slice(&self.memory[at..at + n as usize]);
                let raw = u128::from_le_bytes(buf);
                match size {
                    MemSize::S8 => raw as u8 as i8 as i64 as u128,
                    MemSize::S16 => raw as u16 as i16 as i64 as u128,
                    MemSize::S32 => raw as u32 as i32 as i64 as u128,
                    _ => raw,
                }
            }
            InstData::Store { ty, size, heap, addr, offset, value } => {
                let n = size.bytes(ty) as usize;
                let at = self.heap_index(get(heap), get(addr), offset, n as u32)?;
                self.memory[at..at + n].copy_from_slice(&get(value).to_le_bytes()[..n]);
                0
            }
            InstData::LoadPtr { ty, ptr, offset, .. } => {
                let addr = (get(ptr) as u64).wrapping_add(offset as i64 as u64);
                self.read_host(addr, ty.bytes()).ok_or(TrapCode::UnknownImport)?
            }
            InstData::StorePtr { ty, ptr, offset, value } => {
                let addr = (get(ptr) as u64).wrapping_add(offset as i64 as u64);
                self.write_host(addr, ty.bytes(), get(value)).ok_or(TrapCode::UnknownImport)?;
                0
            }
            InstData::Trapnz { cond, code } => {
                if get(cond) as u32 != 0 {
                    return Err(code);
                }
                0
            }
            InstData::Trapz { cond, code } => {
                if get(cond) as u32 == 0 {
                    return Err(code);
                }
                0
            }
            _ => return Err(TrapCode::Unreachable),
        })
    }

    fn table_parts(&self, t: u32) -> Result<(u64, u64, u64), Trap> {
        let table = self.tables.get(t as usize).ok_or(TrapCode::TableOutOfBounds)?;
        let elems = self.r64(table.desc + vmctx::TABLE_ELEMS as u64);
        let size = self.r64(table.desc + vmctx::TABLE_SIZE as u64) & 0xFFFF_FFFF;
        Ok((table.desc, elems, size))
    }

    fn table_init(&mut self, t: u32, seg: u32, dst: u32, src: u32, n: u32) -> Result<(), Trap> {
        let items = self.elems.get(seg as usize).cloned().flatten().unwrap_or_default();
        let (_, elems, size) = self.table_parts(t)?;
        if src as u64 + n as u64 > items.len() as u64 || dst as u64 + n as u64 > size {
            return Err(TrapCode::TableOutOfBounds);
        }
        for i in 0..n as u64 {
            self.w64(elems + (dst as u64 + i) * 8, items[(src as u64 + i) as usize]);
        }
        Ok(())
    }

    /// The model of runtime-lib's functions (`args` without vmctx).
    fn runtime(&mut self, func: RuntimeFn, args: &[u128]) -> Result<Vec<u128>, Trap> {
        let a = |i: usize| args.get(i).copied().unwrap_or(0) as u32;
        let mem_check = |at: u32, n: u32, len: usize| {
            if at as u64 + n as u64 > len as u64 {
                Err(TrapCode::MemoryOutOfBounds)
            } else {
                Ok(at as usize)
            }
        };
        Ok(match func {
            RuntimeFn::MemoryGrow => {
                let old = self.memory.len() as u64 / PAGE;
                let new = old + a(0) as u64;
                if new > self.memory_max.min(1024) {
                    vec![u32::MAX as u128]
                } else {
                    self.memory.resize((new * PAGE) as usize, 0);
                    let len = self.memory.len() as u64;
                    self.w64(self.memory_desc + vmctx::MEMORY_LENGTH as u64, len);
                    vec![old as u128]
                }
            }
            RuntimeFn::MemoryFill => {
                let at = mem_check(a(0), a(2), self.memory.len())?;
                self.memory[at..at + a(2) as usize].fill(a(1) as u8);
                vec![]
            }
            RuntimeFn::MemoryCopy => {
                let dst = mem_check(a(0), a(2), self.memory.len())?;
                let src = mem_check(a(1), a(2), self.memory.len())?;
                self.memory.copy_within(src..src + a(2) as usize, dst);
                vec![]
            }
            RuntimeFn::MemoryInit => {
                let seg = self.data.get(a(0) as usize).cloned().flatten().unwrap_or_default();
                let dst = mem_check(a(1), a(3), self.memory.len())?;
                let src = mem_check(a(2), a(3), seg.len())?;
                self.memory[dst..dst + a(3) as usize].copy_from_slice(&seg[src..src + a(3) as usize]);
                vec![]
            }
            RuntimeFn::DataDrop => {
                if let Some(s) = self.data.get_mut(a(0) as usize) {
                    *s = None;
                }
                vec![]
            }
            RuntimeFn::ElemDrop => {
                if let Some(s) = self.elems.get_mut(a(0) as usize) {
                    *s = None;
                }
                vec![]
            }
            RuntimeFn::TableGet => {
                let (_, elems, size) = self.table_parts(a(0))?;
                if a(1) as u64 >= size {
                    return Err(TrapCode::TableOutOfBounds);
                }
                vec![self.r64(elems + a(1) as u64 * 8) as u128]
            }
            RuntimeFn::TableSet => {
                let (_, elems, size) = self.table_parts(a(0))?;
                if a(1) as u64 >= size {
                    return Err(TrapCode::TableOutOfBounds);
                }
                self.w64(elems + a(1) as u64 * 8, args[2] as u64);
                vec![]
            }
            RuntimeFn::TableSize => vec![self.table_parts(a(0))?.2 as u128],
            RuntimeFn::TableGrow => {
                let (desc, elems, size) = self.table_parts(a(0))?;
                let new = size + a(2) as u64;
                let max = self.tables[a(0) as usize].max.min(1 << 20);
                if new > max {
                    vec![u32::MAX as u128]
                } else {
                    let fresh = self.alloc(new * 8);
                    for i in 0..new {
                        let v = if i < size { self.r64(elems + i * 8) } else { args[1] as u64 };
                        self.w64(fresh + i * 8, v);
                    }
                    self.w64(desc + vmctx::TABLE_ELEMS as u64, fresh);
                    self.w64(desc + vmctx::TABLE_SIZE as u64, new);
                    vec![size as u128]
                }
            }
            RuntimeFn::TableFill => {
                let (_, elems, size) = self.table_parts(a(0))?;
                if a(1) as u64 + a(3) as u64 > size {
                    return Err(TrapCode::TableOutOfBounds);
                }
                for i in 0..a(3) as u64 {
                    self.w64(elems + (a(1) as u64 + i) * 8, args[2] as u64);
                }
                vec![]
            }
            RuntimeFn::TableCopy => {
                let (_, dst_elems, dst_size) = self.table_parts(a(0))?;
                let (_, src_elems, src_size) = self.table_parts(a(1))?;
                let (d, s, n) = (a(2) as u64, a(3) as u64, a(4) as u64);
                if d + n > dst_size || s + n > src_size {
                    return Err(TrapCode::TableOutOfBounds);
                }
                let items: Vec<u64> = (0..n).map(|i| self.r64(src_elems + (s + i) * 8)).collect();
                for (i, v) in items.into_iter().enumerate() {
                    self.w64(dst_elems + (d + i as u64) * 8, v);
                }
                vec![]
            }
            RuntimeFn::TableInit => {
                self.table_init(a(0), a(1), a(2), a(3), a(4))?;
                vec![]
            }
            RuntimeFn::RefFunc => vec![self.funcref(a(0)) as u128],
        })
    }
}

fn f32v(v: u128) -> f32 {
    f32::from_bits(v as u32)
}
fn f64v(v: u128) -> f64 {
    f64::from_bits(v as u64)
}
fn is_f32(ty: Type) -> bool {
    ty == Type::F32
}
/// Apply a float operation at the precision of `ty`.
fn float1(ty: Type, v: u128, f: impl Fn(f64) -> f64, g: impl Fn(f32) -> f32) -> u128 {
    if is_f32(ty) {
        g(f32v(v)).to_bits().into()
    } else {
        f(f64v(v)).to_bits().into()
    }
}

fn unary(op: UnaryOp, ty: Type, v: u128) -> u128 {
    let w = bits_of(ty);
    let x = mask(ty, v);
    let sign = 1u128 << (w - 1);
    match op {
        UnaryOp::Clz => (if w == 32 { (x as u32).leading_zeros() } else { (x as u64).leading_zeros() }).into(),
        UnaryOp::Ctz => (if w == 32 { (x as u32).trailing_zeros() } else { (x as u64).trailing_zeros() }).into(),
        UnaryOp::Popcnt => x.count_ones().into(),
        UnaryOp::Sext8 => x as u8 as i8 as i64 as u128,
        UnaryOp::Sext16 => x as u16 as i16 as i64 as u128,
        UnaryOp::Sext32 => x as u32 as i32 as i64 as u128,
        UnaryOp::Fabs => x & !sign,
        UnaryOp::Fneg => x ^ sign,
        UnaryOp::Fsqrt => float1(ty, x, f64::sqrt, f32::sqrt),
        UnaryOp::Fceil => float1(ty, x, f64::ceil, f32::ceil),
        UnaryOp::Ffloor => float1(ty, x, f64::floor, f32::floor),
        UnaryOp::Ftrunc => float1(ty, x, f64::trunc, f32::trunc),
        UnaryOp::Fnearest => float1(ty, x, f64::round_ties_even, f32::round_ties_even),
    }
}

fn binary(op: BinaryOp, ty: Type, a: u128, b: u128) -> Result<u128, Trap> {
    use BinaryOp::*;
    if ty.is_float() {
        let f = |x: f64, y: f64| -> f64 {
            match op {
                Fadd => x + y,
                Fsub => x - y,
                Fmul => x * y,
                Fdiv => x / y,
                Fmin | Fmax if x.is_nan() || y.is_nan() => f64::NAN,
                Fmin if x == y => if x.is_sign_negative() { x } else { y },
                Fmax if x == y => if x.is_sign_positive() { x } else { y },
                Fmin => x.min(y),
                Fmax => x.max(y),
                _ => x.copysign(y),
            }
        };
        if is_f32(ty) {
            let (x, y) = (f32v(a), f32v(b));
            // Every f32 operation is exact in f64 followed by one rounding, except copysign,
            // which must keep NaN payloads: do it on bits.
            let r = match op {
                Fcopysign => return Ok(((a as u32 & 0x7FFF_FFFF) | (b as u32 & 0x8000_0000)).into()),
                Fadd => x + y,
                Fsub => x - y,
                Fmul => x * y,
                Fdiv => x / y,
                _ => f(x.into(), y.into()) as f32,
            };
            return Ok(r.to_bits().into());
        }
        if op == Fcopysign {
            return Ok(((a as u64 & !(1 << 63)) | (b as u64 & (1 << 63))).into());
        }
        return Ok(f(f64v(a), f64v(b)).to_bits().into());
    }
    let w = bits_of(ty);
    let (x, y) = (mask(ty, a) as u64, mask(ty, b) as u64);
    let (sx, sy) = if w == 32 { (x as u32 as i32 as i64, y as u32 as i32 as i64) } else { (x as i64, y as i64) };
    let min = if w == 32 { i32::MIN as i64 } else { i64::MIN };
    let shift = (y % w as u64) as u32;
    let r: u64 = match op {
        Iadd => x.wrapping_add(y),
        Isub => x.wrapping_sub(y),
        Imul => x.wrapping_mul(y),
        Sdiv | Udiv | Srem | Urem if y == 0 => return Err(TrapCode::IntegerDivideByZero),
        Sdiv if sx == min && sy == -1 => return Err(TrapCode::IntegerOverflow),
        Sdiv => sx.wrapping_div(sy) as u64,
        Udiv => x / y,
        Srem => sx.wrapping_rem(sy) as u64,
        Urem => x % y,
        And => x & y,
        Or => x | y,
        Xor => x ^ y,
        Shl => x << shift,
        Sshr => (sx >> shift) as u64,
        Ushr => x >> shift,
        Rotl if w == 32 => (x as u32).rotate_left(shift).into(),
        Rotr if w == 32 => (x as u32).rotate_right(shift).into(),
        Rotl => x.rotate_left(shift),
        Rotr => x.rotate_right(shift),
        _ => return Err(TrapCode::Unreachable),
    };
    Ok(mask(ty, r.into()))
}

fn icmp(cond: IntCC, ty: Type, a: u128, b: u128) -> bool {
    let (x, y) = (mask(ty, a) as u64, mask(ty, b) as u64);
    let (sx, sy) = if ty == Type::I32 { (x as u32 as i32 as i64, y as u32 as i32 as i64) } else { (x as i64, y as i64) };
    match cond {
        IntCC::Eq => x == y,
        IntCC::Ne => x != y,
        IntCC::Slt => sx < sy,
        IntCC::Sle => sx <= sy,
        IntCC::Sgt => sx > sy,
        IntCC::Sge => sx >= sy,
        IntCC::Ult => x < y,
        IntCC::Ule => x <= y,
        IntCC::Ugt => x > y,
        IntCC::Uge => x >= y,
    }
}

fn fcmp(cond: FloatCC, ty: Type, a: u128, b: u128) -> bool {
    let (x, y) = if is_f32(ty) { (f32v(a) as f64, f32v(b) as f64) } else { (f64v(a), f64v(b)) };
    match cond {
        FloatCC::Eq => x == y,
        FloatCC::Ne => x != y,
        FloatCC::Lt => x < y,
        FloatCC::Le => x <= y,
        FloatCC::Gt => x > y,
        FloatCC::Ge => x >= y,
    }
}

fn conv(op: ConvOp, from: Type, to: Type, v: u128) -> Result<u128, Trap> {
    let float_in = || if is_f32(from) { f32v(v) as f64 } else { f64v(v) };
    let int_in = |signed: bool| -> i128 {
        match (from, signed) {
            (Type::I32, true) => v as u32 as i32 as i128,
            (Type::I32, false) => v as u32 as i128,
            (_, true) => v as u64 as i64 as i128,
            (_, false) => v as u64 as i128,
        }
    };
    let to_float = |x: i128| -> u128 {
        // Rust's integer-to-float `as` rounds to nearest, ties to even, as Wasm does.
        if is_f32(to) {
            (if x < 0 { x as i64 as f32 } else { x as u64 as f32 }).to_bits().into()
        } else {
            (if x < 0 { x as i64 as f64 } else { x as u64 as f64 }).to_bits().into()
        }
    };
    Ok(match op {
        ConvOp::Wrap => v & 0xFFFF_FFFF,
        ConvOp::Sextend => v as u32 as i32 as i64 as u64 as u128,
        ConvOp::Uextend => v as u32 as u128,
        ConvOp::Bitcast => v,
        ConvOp::Fpromote => (f32v(v) as f64).to_bits().into(),
        ConvOp::Fdemote => (f64v(v) as f32).to_bits().into(),
        ConvOp::FcvtFromSint => to_float(int_in(true)),
        ConvOp::FcvtFromUint => to_float(int_in(false)),
        ConvOp::FcvtToSint | ConvOp::FcvtToUint => {
            let x = float_in();
            if x.is_nan() {
                return Err(TrapCode::InvalidConversion);
            }
            let t = x.trunc();
            let signed = op == ConvOp::FcvtToSint;
            let (lo, hi) = match (to, signed) {
                (Type::I32, true) => (-2147483648.0, 2147483648.0),
                (Type::I32, false) => (0.0, 4294967296.0),
                (_, true) => (-9223372036854775808.0, 9223372036854775808.0),
                (_, false) => (0.0, 18446744073709551616.0),
            };
            if !(t >= lo && t < hi) {
                return Err(TrapCode::IntegerOverflow);
            }
            mask(to, if signed { t as i64 as u64 as u128 } else { t as u64 as u128 })
        }
        ConvOp::FcvtToSintSat | ConvOp::FcvtToUintSat => {
            let x = float_in();
            let signed = op == ConvOp::FcvtToSintSat;
            let r: u128 = match (to, signed) {
                (Type::I32, true) => x as i32 as u32 as u128,
                (Type::I32, false) => x as u32 as u128,
                (_, true) => x as i64 as u64 as u128,
                (_, false) => x as u64 as u128,
            };
            r
        }
    })
}
