//! The model of runtime-lib's functions (memory and table instructions, `ref.func`).

use super::{Instance, PAGE};
use wasmc::ir::{RuntimeFn, TrapCode};
use wasmc::vmctx;

impl Instance {
    fn table_parts(&self, t: u32) -> Result<(u64, u64, u64), TrapCode> {
        let table = self.tables.get(t as usize).ok_or(TrapCode::TableOutOfBounds)?;
        let elems = self.r64(table.desc + vmctx::TABLE_ELEMS as u64);
        let size = self.r64(table.desc + vmctx::TABLE_SIZE as u64) & 0xFFFF_FFFF;
        Ok((table.desc, elems, size))
    }

    pub(super) fn table_init(&mut self, t: u32, seg: u32, dst: u32, src: u32, n: u32) -> Result<(), TrapCode> {
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
    pub(super) fn runtime(&mut self, func: RuntimeFn, args: &[u128]) -> Result<Vec<u128>, TrapCode> {
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
