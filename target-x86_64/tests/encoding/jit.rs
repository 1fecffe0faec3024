//! Runs assembled code: maps it executable and calls it through the System V ABI. This checks
//! what the disassembly tests cannot: that fix-ups, the constant pool and the instruction
//! choices compute the right values.

use std::ffi::c_void;

use target_x86_64::Assembler;

extern "C" {
    fn mmap(addr: *mut c_void, len: usize, prot: i32, flags: i32, fd: i32, offset: i64) -> *mut c_void;
    fn mprotect(addr: *mut c_void, len: usize, prot: i32) -> i32;
    fn munmap(addr: *mut c_void, len: usize) -> i32;
}

const PROT_READ: i32 = 1;
const PROT_WRITE: i32 = 2;
const PROT_EXEC: i32 = 4;
const MAP_PRIVATE: i32 = 2;
const MAP_ANONYMOUS: i32 = 0x20;

/// Executable code in its own (page-aligned, so 16-byte aligned) mapping.
pub struct Jit {
    ptr: *mut c_void,
    len: usize,
}

impl Jit {
    pub fn new(emit: impl FnOnce(&mut Assembler)) -> Jit {
        let code = crate::common::assemble(emit).code;
        let len = code.len().max(1);
        // SAFETY: a fresh anonymous mapping, written while writable, then made executable.
        unsafe {
            let ptr = mmap(std::ptr::null_mut(), len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            assert_ne!(ptr as isize, -1, "mmap failed");
            std::ptr::copy_nonoverlapping(code.as_ptr(), ptr.cast::<u8>(), code.len());
            assert_eq!(mprotect(ptr, len, PROT_READ | PROT_EXEC), 0, "mprotect failed");
            Jit { ptr, len }
        }
    }

    /// The code's entry point as a function of type `F`.
    ///
    /// # Safety
    /// `F` must be an `extern "sysv64" fn` type matching what the code does.
    pub unsafe fn entry<F: Copy>(&self) -> F {
        assert_eq!(std::mem::size_of::<F>(), std::mem::size_of::<*const c_void>());
        std::mem::transmute_copy(&self.ptr)
    }

    pub fn int2(&self, a: u64, b: u64) -> u64 {
        // SAFETY: the tests using this emit a function of two integers returning one.
        unsafe { self.entry::<extern "sysv64" fn(u64, u64) -> u64>()(a, b) }
    }

    pub fn f64_1(&self, a: f64) -> f64 {
        // SAFETY: the tests using this emit a function of one f64 returning one.
        unsafe { self.entry::<extern "sysv64" fn(f64) -> f64>()(a) }
    }

    pub fn f32_1(&self, a: f32) -> f32 {
        // SAFETY: the tests using this emit a function of one f32 returning one.
        unsafe { self.entry::<extern "sysv64" fn(f32) -> f32>()(a) }
    }
}

impl Drop for Jit {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping made in `new`.
        unsafe {
            munmap(self.ptr, self.len);
        }
    }
}
