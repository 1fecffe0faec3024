//! Object writer tests: write a module with hand-assembled x86-64 code, read the object back.

use object::read::{Object as _, ObjectSection as _, ObjectSymbol as _};
use object::{RelocationFlags, RelocationTarget};

use super::*;
use crate::decode;
use crate::ir::TrapCode;
use crate::isa::Reloc;
use crate::vmctx::VmctxLayout;

pub(crate) const WAT: &str = r#"(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory 1 3)
  (global $g (mut i32) (i32.const 5))
  (table 2 funcref)
  (elem (i32.const 1) $helper)
  (data (i32.const 8) "hi")
  (func $start (export "_start") call $helper drop)
  (func $helper (result i32) i32.const 1))"#;

fn plt_call(offset: u32, target: RelocTarget) -> Reloc {
    Reloc {
        offset,
        kind: RelocKind::X86CallPlt4,
        target,
        addend: -4,
    }
}

/// Code for WAT that calls proc_exit(helper()), where helper returns
/// memory.grow(2) + 40 = 41: it exercises a Func relocation, a runtime-symbol relocation,
/// an imported call through the vmctx, and the start trampoline.
pub(crate) fn compiled(module: &Module) -> (Vec<CompiledFunction>, Vec<(u32, CompiledFunction)>) {
    let layout = VmctxLayout::new(
        module.types.len() as u32,
        module.num_funcs(),
        module.num_tables(),
        module.num_globals(),
    );
    let import_code = layout.funcref(0).to_le_bytes();
    let import_vmctx = (layout.funcref(0) + 8).to_le_bytes();
    let mut start = vec![
        0x53, 0x48, 0x89, 0xfb, 0xe8, 0, 0, 0, 0, 0x89, 0xc6, 0x48, 0x8b, 0xbb,
    ];
    start.extend_from_slice(&import_vmctx); // mov rdi, [rbx + funcref0.vmctx]
    start.extend_from_slice(&[0xff, 0x93]);
    start.extend_from_slice(&import_code); // call [rbx + funcref0.code]
    start.extend_from_slice(&[0x5b, 0xc3]);
    let start = CompiledFunction {
        code: start,
        relocs: vec![plt_call(5, RelocTarget::Func(2))],
        srclocs: vec![(4, 0x30)],
        ..Default::default()
    };
    let helper = CompiledFunction {
        // push rax; mov esi, 2; call wasmc_rt_memory_grow; add eax, 40; pop rcx; ret
        code: vec![
            0x50, 0xbe, 2, 0, 0, 0, 0xe8, 0, 0, 0, 0, 0x83, 0xc0, 40, 0x59, 0xc3,
        ],
        relocs: vec![plt_call(
            7,
            RelocTarget::Symbol("wasmc_rt_memory_grow".into()),
        )],
        traps: vec![(15, TrapCode::Unreachable), (0, TrapCode::StackOverflow)],
        srclocs: vec![(0, 0x40), (6, 0x44)],
        ..Default::default()
    };
    let trampoline = CompiledFunction {
        code: vec![0xe9, 0, 0, 0, 0], // jmp start
        relocs: vec![Reloc {
            offset: 1,
            kind: RelocKind::X86PcRel4,
            target: RelocTarget::Func(1),
            addend: -4,
        }],
        ..Default::default()
    };
    (vec![start, helper], vec![(1, trampoline)])
}

fn options(entry: bool) -> ObjectOptions {
    ObjectOptions {
        target: Target::X86_64Linux,
        prefix: "m".into(),
        entry,
        grants: Default::default(),
        cpu_features: 0,
    }
}

pub(crate) fn write_test_object(entry: bool) -> Vec<u8> {
    let bytes = wat::parse_str(WAT).unwrap();
    let module = decode::parse(&bytes).unwrap();
    let (funcs, trampolines) = compiled(&module);
    write_object(&module, &bytes, &funcs, &trampolines, &options(entry)).unwrap()
}

fn u32_at(data: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(data[at..at + 4].try_into().unwrap())
}

#[test]
fn symbols_relocations_and_metadata_read_back() {
    let image = write_test_object(true);
    let file = object::File::parse(&*image).unwrap();
    let symbol = |name: &str| {
        file.symbols()
            .find(|s| s.name() == Ok(name))
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let start = symbol("m_start");
    let helper = symbol("m_helper");
    assert_eq!((start.address(), start.size()), (0, 26));
    assert_eq!(helper.address() % 16, 0);
    assert!(symbol("wasmc_rt_memory_grow").is_undefined());
    assert!(symbol("m_meta").is_global());
    assert_eq!(
        symbol("wasmc_main_meta").address(),
        symbol("m_meta").address()
    );

    let text = file.section_by_name(".text").unwrap();
    let relocs: Vec<_> = text.relocations().collect();
    assert_eq!(relocs.len(), 3);
    let (at, call) = relocs.iter().find(|(at, _)| *at == 5).unwrap();
    assert_eq!(*at, 5);
    assert_eq!(
        call.flags(),
        RelocationFlags::Elf {
            r_type: object::elf::R_X86_64_PLT32
        }
    );
    assert_eq!(call.target(), RelocationTarget::Symbol(helper.index()));
    assert_eq!(call.addend(), -4);

    // The metadata: header fields and the one relocation, to the text start.
    let meta = symbol("m_meta");
    let section = file
        .section_by_index(meta.section_index().unwrap())
        .unwrap();
    let data = section.data().unwrap();
    let base = (meta.address() - section.address()) as usize;
    let blob = &data[base..base + meta.size() as usize];
    assert_eq!(u32_at(blob, 0), meta::MAGIC);
    assert_eq!(
        u64::from_le_bytes(blob[16..24].try_into().unwrap()),
        text.size()
    );
    assert_eq!(u32_at(blob, 44), meta::NONE, "no start function");
    assert_eq!(u32_at(blob, 48), 1, "one imported function");
    let meta_relocs: Vec<_> = section.relocations().collect();
    assert_eq!(meta_relocs.len(), 1);
    assert_eq!(
        meta_relocs[0].0,
        meta.address() - section.address() + meta::TEXT_START_FIELD
    );

    // funcs array (header offset 96): imported func has no code, helper's code is its symbol's.
    let (funcs_off, nfuncs) = (u32_at(blob, 96) as usize, u32_at(blob, 100));
    assert_eq!(nfuncs, 3);
    assert_eq!(u32_at(blob, funcs_off + 4), meta::NONE);
    assert_eq!(
        u64::from(u32_at(blob, funcs_off + 2 * 20 + 4)),
        helper.address()
    );
    assert_eq!(
        u32_at(blob, funcs_off + 2 * 20 + 8),
        16,
        "helper's code size"
    );
    // exports (offset 88): _start's trampoline is m_array_1.
    let exports_off = u32_at(blob, 88) as usize;
    assert_eq!(
        u64::from(u32_at(blob, exports_off + 16)),
        symbol("m_array_1").address()
    );
    // traps (offset 144): sorted by code offset, with helper's index.
    let (traps_off, ntraps) = (u32_at(blob, 144) as usize, u32_at(blob, 148));
    assert_eq!(ntraps, 2);
    let first = u32_at(blob, traps_off);
    let second = u32_at(blob, traps_off + 12);
    assert_eq!(
        (u64::from(first), u64::from(second)),
        (helper.address(), helper.address() + 15)
    );
    assert_eq!(u32_at(blob, traps_off + 4), TrapCode::StackOverflow as u32);
    assert_eq!(u32_at(blob, traps_off + 8), 2);
    // srclocs (offset 152): every function's, moved to module code offsets, sorted.
    let (locs_off, nlocs) = (u32_at(blob, 152) as usize, u32_at(blob, 156));
    let locs: Vec<(u64, u32)> = (0..nlocs as usize)
        .map(|i| {
            (
                u64::from(u32_at(blob, locs_off + 8 * i)),
                u32_at(blob, locs_off + 8 * i + 4),
            )
        })
        .collect();
    let h = helper.address();
    assert_eq!(locs, [(4, 0x30), (h, 0x40), (h + 6, 0x44)]);
}

#[test]
fn relocation_to_an_imported_function_is_an_error() {
    let bytes = wat::parse_str(WAT).unwrap();
    let module = decode::parse(&bytes).unwrap();
    let (mut funcs, trampolines) = compiled(&module);
    funcs[0].relocs[0].target = RelocTarget::Func(0);
    let err = write_object(&module, &bytes, &funcs, &trampolines, &options(false)).unwrap_err();
    assert!(err.message.contains("not defined here"), "{err}");
}

#[test]
fn wrong_function_count_is_an_error() {
    let bytes = wat::parse_str(WAT).unwrap();
    let module = decode::parse(&bytes).unwrap();
    let err = write_object(&module, &bytes, &[], &[], &options(false)).unwrap_err();
    assert!(err.message.contains("compiled functions"), "{err}");
}

#[test]
fn macho_and_aarch64_objects_are_written() {
    let bytes = wat::parse_str("(module (func (export \"f\")))").unwrap();
    let module = decode::parse(&bytes).unwrap();
    let ret = CompiledFunction {
        code: vec![0xc0, 0x03, 0x5f, 0xd6],
        ..Default::default()
    };
    for target in [
        Target::Aarch64Linux,
        Target::Aarch64MacOs,
        Target::X86_64MacOs,
    ] {
        let opts = ObjectOptions {
            target,
            prefix: "p".into(),
            entry: false,
            grants: Default::default(),
            cpu_features: 0,
        };
        let image = write_object(&module, &bytes, std::slice::from_ref(&ret), &[], &opts).unwrap();
        let file = object::File::parse(&*image).unwrap();
        assert!(
            file.symbols()
                .any(|s| s.name().is_ok_and(|n| n.ends_with("p_meta"))),
            "{target:?}"
        );
    }
}
