//! Selectors for packed SSE instructions (SSE2 to SSE4.2) on whole 128-bit registers: the
//! forms a `v128` lowering needs. Each variant is named after its mnemonic. Where AVX has a
//! non-destructive three-operand (VEX) form of a two-address SSE instruction, the table names
//! it too ([`PackedOp::has_avx_form`]).

/// Declares an operation enum with its `ALL` list and its iced-x86 encodings (the legacy SSE
/// form, then, after `|`, the optional three-operand VEX form) in one table, so they can never
/// disagree.
macro_rules! packed_table {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $op:ident => $code:ident $(| $vex:ident)?,)* }) => {
        $(#[$meta])*
        #[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
        pub enum $name {
            $($(#[$vmeta])* $op,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$op,)*];

            pub(crate) fn code(self) -> iced_x86::Code {
                match self {
                    $($name::$op => iced_x86::Code::$code,)*
                }
            }

            /// The VEX form `op dst, src1, src2` that leaves both sources intact (AVX).
            pub(crate) fn vex_code(self) -> Option<iced_x86::Code> {
                match self {
                    $($name::$op => packed_table!(@vex $($vex)?),)*
                }
            }

            /// Whether [`Assembler::avx_rrr`](crate::Assembler::avx_rrr) and its siblings
            /// accept this operation.
            pub fn has_avx_form(self) -> bool {
                self.vex_code().is_some()
            }
        }
    };
    (@vex $vex:ident) => { Some(iced_x86::Code::$vex) };
    (@vex) => { None };
}

packed_table! {
    /// `op xmm, xmm/m128`: two-address packed operations (`dst = dst op src`, or
    /// `dst = op src` for conversions, `pabs*`, `pmov*x*` and square roots). The widening
    /// `pmovsx*`/`pmovzx*`, `cvtdq2pd` and `cvtps2pd` read only 64 bits from memory.
    PackedOp {
        Addps => Addps_xmm_xmmm128 | VEX_Vaddps_xmm_xmm_xmmm128,
        Addpd => Addpd_xmm_xmmm128 | VEX_Vaddpd_xmm_xmm_xmmm128,
        Subps => Subps_xmm_xmmm128 | VEX_Vsubps_xmm_xmm_xmmm128,
        Subpd => Subpd_xmm_xmmm128 | VEX_Vsubpd_xmm_xmm_xmmm128,
        Mulps => Mulps_xmm_xmmm128 | VEX_Vmulps_xmm_xmm_xmmm128,
        Mulpd => Mulpd_xmm_xmmm128 | VEX_Vmulpd_xmm_xmm_xmmm128,
        Divps => Divps_xmm_xmmm128 | VEX_Vdivps_xmm_xmm_xmmm128,
        Divpd => Divpd_xmm_xmmm128 | VEX_Vdivpd_xmm_xmm_xmmm128,
        Minps => Minps_xmm_xmmm128 | VEX_Vminps_xmm_xmm_xmmm128,
        Minpd => Minpd_xmm_xmmm128 | VEX_Vminpd_xmm_xmm_xmmm128,
        Maxps => Maxps_xmm_xmmm128 | VEX_Vmaxps_xmm_xmm_xmmm128,
        Maxpd => Maxpd_xmm_xmmm128 | VEX_Vmaxpd_xmm_xmm_xmmm128,
        Sqrtps => Sqrtps_xmm_xmmm128,
        Sqrtpd => Sqrtpd_xmm_xmmm128,
        Andps => Andps_xmm_xmmm128 | VEX_Vandps_xmm_xmm_xmmm128,
        Andpd => Andpd_xmm_xmmm128 | VEX_Vandpd_xmm_xmm_xmmm128,
        Andnps => Andnps_xmm_xmmm128 | VEX_Vandnps_xmm_xmm_xmmm128,
        Andnpd => Andnpd_xmm_xmmm128 | VEX_Vandnpd_xmm_xmm_xmmm128,
        Orps => Orps_xmm_xmmm128 | VEX_Vorps_xmm_xmm_xmmm128,
        Orpd => Orpd_xmm_xmmm128 | VEX_Vorpd_xmm_xmm_xmmm128,
        Xorps => Xorps_xmm_xmmm128 | VEX_Vxorps_xmm_xmm_xmmm128,
        Xorpd => Xorpd_xmm_xmmm128 | VEX_Vxorpd_xmm_xmm_xmmm128,
        Unpcklps => Unpcklps_xmm_xmmm128 | VEX_Vunpcklps_xmm_xmm_xmmm128,
        Unpckhps => Unpckhps_xmm_xmmm128 | VEX_Vunpckhps_xmm_xmm_xmmm128,
        Unpcklpd => Unpcklpd_xmm_xmmm128 | VEX_Vunpcklpd_xmm_xmm_xmmm128,
        Unpckhpd => Unpckhpd_xmm_xmmm128 | VEX_Vunpckhpd_xmm_xmm_xmmm128,
        Cvtdq2ps => Cvtdq2ps_xmm_xmmm128,
        Cvttps2dq => Cvttps2dq_xmm_xmmm128,
        Cvtdq2pd => Cvtdq2pd_xmm_xmmm64,
        Cvtps2pd => Cvtps2pd_xmm_xmmm64,
        Cvtpd2ps => Cvtpd2ps_xmm_xmmm128,
        Cvttpd2dq => Cvttpd2dq_xmm_xmmm128,
        /// Selects by the sign bits of `xmm0`, an implicit third operand.
        Blendvps => Blendvps_xmm_xmmm128,
        /// Selects by the sign bits of `xmm0`, an implicit third operand.
        Blendvpd => Blendvpd_xmm_xmmm128,
        Paddb => Paddb_xmm_xmmm128 | VEX_Vpaddb_xmm_xmm_xmmm128,
        Paddw => Paddw_xmm_xmmm128 | VEX_Vpaddw_xmm_xmm_xmmm128,
        Paddd => Paddd_xmm_xmmm128 | VEX_Vpaddd_xmm_xmm_xmmm128,
        Paddq => Paddq_xmm_xmmm128 | VEX_Vpaddq_xmm_xmm_xmmm128,
        Paddsb => Paddsb_xmm_xmmm128 | VEX_Vpaddsb_xmm_xmm_xmmm128,
        Paddsw => Paddsw_xmm_xmmm128 | VEX_Vpaddsw_xmm_xmm_xmmm128,
        Paddusb => Paddusb_xmm_xmmm128 | VEX_Vpaddusb_xmm_xmm_xmmm128,
        Paddusw => Paddusw_xmm_xmmm128 | VEX_Vpaddusw_xmm_xmm_xmmm128,
        Psubb => Psubb_xmm_xmmm128 | VEX_Vpsubb_xmm_xmm_xmmm128,
        Psubw => Psubw_xmm_xmmm128 | VEX_Vpsubw_xmm_xmm_xmmm128,
        Psubd => Psubd_xmm_xmmm128 | VEX_Vpsubd_xmm_xmm_xmmm128,
        Psubq => Psubq_xmm_xmmm128 | VEX_Vpsubq_xmm_xmm_xmmm128,
        Psubsb => Psubsb_xmm_xmmm128 | VEX_Vpsubsb_xmm_xmm_xmmm128,
        Psubsw => Psubsw_xmm_xmmm128 | VEX_Vpsubsw_xmm_xmm_xmmm128,
        Psubusb => Psubusb_xmm_xmmm128 | VEX_Vpsubusb_xmm_xmm_xmmm128,
        Psubusw => Psubusw_xmm_xmmm128 | VEX_Vpsubusw_xmm_xmm_xmmm128,
        Pmullw => Pmullw_xmm_xmmm128 | VEX_Vpmullw_xmm_xmm_xmmm128,
        Pmulld => Pmulld_xmm_xmmm128 | VEX_Vpmulld_xmm_xmm_xmmm128,
        Pmulhw => Pmulhw_xmm_xmmm128 | VEX_Vpmulhw_xmm_xmm_xmmm128,
        Pmulhuw => Pmulhuw_xmm_xmmm128 | VEX_Vpmulhuw_xmm_xmm_xmmm128,
        Pmuludq => Pmuludq_xmm_xmmm128 | VEX_Vpmuludq_xmm_xmm_xmmm128,
        Pmuldq => Pmuldq_xmm_xmmm128 | VEX_Vpmuldq_xmm_xmm_xmmm128,
        Pmaddwd => Pmaddwd_xmm_xmmm128 | VEX_Vpmaddwd_xmm_xmm_xmmm128,
        Pmulhrsw => Pmulhrsw_xmm_xmmm128 | VEX_Vpmulhrsw_xmm_xmm_xmmm128,
        Pavgb => Pavgb_xmm_xmmm128 | VEX_Vpavgb_xmm_xmm_xmmm128,
        Pavgw => Pavgw_xmm_xmmm128 | VEX_Vpavgw_xmm_xmm_xmmm128,
        Pand => Pand_xmm_xmmm128 | VEX_Vpand_xmm_xmm_xmmm128,
        Pandn => Pandn_xmm_xmmm128 | VEX_Vpandn_xmm_xmm_xmmm128,
        Por => Por_xmm_xmmm128 | VEX_Vpor_xmm_xmm_xmmm128,
        Pxor => Pxor_xmm_xmmm128 | VEX_Vpxor_xmm_xmm_xmmm128,
        Pcmpeqb => Pcmpeqb_xmm_xmmm128 | VEX_Vpcmpeqb_xmm_xmm_xmmm128,
        Pcmpeqw => Pcmpeqw_xmm_xmmm128 | VEX_Vpcmpeqw_xmm_xmm_xmmm128,
        Pcmpeqd => Pcmpeqd_xmm_xmmm128 | VEX_Vpcmpeqd_xmm_xmm_xmmm128,
        Pcmpeqq => Pcmpeqq_xmm_xmmm128 | VEX_Vpcmpeqq_xmm_xmm_xmmm128,
        Pcmpgtb => Pcmpgtb_xmm_xmmm128 | VEX_Vpcmpgtb_xmm_xmm_xmmm128,
        Pcmpgtw => Pcmpgtw_xmm_xmmm128 | VEX_Vpcmpgtw_xmm_xmm_xmmm128,
        Pcmpgtd => Pcmpgtd_xmm_xmmm128 | VEX_Vpcmpgtd_xmm_xmm_xmmm128,
        /// SSE4.2.
        Pcmpgtq => Pcmpgtq_xmm_xmmm128 | VEX_Vpcmpgtq_xmm_xmm_xmmm128,
        Pminsb => Pminsb_xmm_xmmm128 | VEX_Vpminsb_xmm_xmm_xmmm128,
        Pminsw => Pminsw_xmm_xmmm128 | VEX_Vpminsw_xmm_xmm_xmmm128,
        Pminsd => Pminsd_xmm_xmmm128 | VEX_Vpminsd_xmm_xmm_xmmm128,
        Pminub => Pminub_xmm_xmmm128 | VEX_Vpminub_xmm_xmm_xmmm128,
        Pminuw => Pminuw_xmm_xmmm128 | VEX_Vpminuw_xmm_xmm_xmmm128,
        Pminud => Pminud_xmm_xmmm128 | VEX_Vpminud_xmm_xmm_xmmm128,
        Pmaxsb => Pmaxsb_xmm_xmmm128 | VEX_Vpmaxsb_xmm_xmm_xmmm128,
        Pmaxsw => Pmaxsw_xmm_xmmm128 | VEX_Vpmaxsw_xmm_xmm_xmmm128,
        Pmaxsd => Pmaxsd_xmm_xmmm128 | VEX_Vpmaxsd_xmm_xmm_xmmm128,
        Pmaxub => Pmaxub_xmm_xmmm128 | VEX_Vpmaxub_xmm_xmm_xmmm128,
        Pmaxuw => Pmaxuw_xmm_xmmm128 | VEX_Vpmaxuw_xmm_xmm_xmmm128,
        Pmaxud => Pmaxud_xmm_xmmm128 | VEX_Vpmaxud_xmm_xmm_xmmm128,
        Pabsb => Pabsb_xmm_xmmm128,
        Pabsw => Pabsw_xmm_xmmm128,
        Pabsd => Pabsd_xmm_xmmm128,
        Packsswb => Packsswb_xmm_xmmm128 | VEX_Vpacksswb_xmm_xmm_xmmm128,
        Packssdw => Packssdw_xmm_xmmm128 | VEX_Vpackssdw_xmm_xmm_xmmm128,
        Packuswb => Packuswb_xmm_xmmm128 | VEX_Vpackuswb_xmm_xmm_xmmm128,
        Packusdw => Packusdw_xmm_xmmm128 | VEX_Vpackusdw_xmm_xmm_xmmm128,
        Punpcklbw => Punpcklbw_xmm_xmmm128 | VEX_Vpunpcklbw_xmm_xmm_xmmm128,
        Punpcklwd => Punpcklwd_xmm_xmmm128 | VEX_Vpunpcklwd_xmm_xmm_xmmm128,
        Punpckldq => Punpckldq_xmm_xmmm128 | VEX_Vpunpckldq_xmm_xmm_xmmm128,
        Punpcklqdq => Punpcklqdq_xmm_xmmm128 | VEX_Vpunpcklqdq_xmm_xmm_xmmm128,
        Punpckhbw => Punpckhbw_xmm_xmmm128 | VEX_Vpunpckhbw_xmm_xmm_xmmm128,
        Punpckhwd => Punpckhwd_xmm_xmmm128 | VEX_Vpunpckhwd_xmm_xmm_xmmm128,
        Punpckhdq => Punpckhdq_xmm_xmmm128 | VEX_Vpunpckhdq_xmm_xmm_xmmm128,
        Punpckhqdq => Punpckhqdq_xmm_xmmm128 | VEX_Vpunpckhqdq_xmm_xmm_xmmm128,
        /// SSSE3 byte shuffle: `dst[i] = src[i] < 0 ? 0 : dst[src[i] & 15]`.
        Pshufb => Pshufb_xmm_xmmm128 | VEX_Vpshufb_xmm_xmm_xmmm128,
        Pmovsxbw => Pmovsxbw_xmm_xmmm64,
        Pmovsxwd => Pmovsxwd_xmm_xmmm64,
        Pmovsxdq => Pmovsxdq_xmm_xmmm64,
        Pmovzxbw => Pmovzxbw_xmm_xmmm64,
        Pmovzxwd => Pmovzxwd_xmm_xmmm64,
        Pmovzxdq => Pmovzxdq_xmm_xmmm64,
        /// Shift every lane by the count in the low 64 bits of the source.
        Psllw => Psllw_xmm_xmmm128 | VEX_Vpsllw_xmm_xmm_xmmm128,
        Pslld => Pslld_xmm_xmmm128 | VEX_Vpslld_xmm_xmm_xmmm128,
        Psllq => Psllq_xmm_xmmm128 | VEX_Vpsllq_xmm_xmm_xmmm128,
        Psrlw => Psrlw_xmm_xmmm128 | VEX_Vpsrlw_xmm_xmm_xmmm128,
        Psrld => Psrld_xmm_xmmm128 | VEX_Vpsrld_xmm_xmm_xmmm128,
        Psrlq => Psrlq_xmm_xmmm128 | VEX_Vpsrlq_xmm_xmm_xmmm128,
        Psraw => Psraw_xmm_xmmm128 | VEX_Vpsraw_xmm_xmm_xmmm128,
        Psrad => Psrad_xmm_xmmm128 | VEX_Vpsrad_xmm_xmm_xmmm128,
        /// Sets ZF if `dst & src` is zero, CF if `!dst & src` is zero; writes no register.
        Ptest => Ptest_xmm_xmmm128,
        /// Selects bytes by the sign bits of `xmm0`, an implicit third operand.
        Pblendvb => Pblendvb_xmm_xmmm128,
        /// AVX2 (VEX-encoded): the low byte of the source in every lane.
        Vpbroadcastb => VEX_Vpbroadcastb_xmm_xmmm8,
        /// AVX2 (VEX-encoded): the low word of the source in every lane.
        Vpbroadcastw => VEX_Vpbroadcastw_xmm_xmmm16,
    }
}

packed_table! {
    /// `op xmm, xmm/m128, imm8`: shuffles, blends, compares (the immediate is the
    /// predicate) and rounding (the immediate is a [`RoundMode`](crate::RoundMode)'s).
    /// `insertps` reads 32 bits from memory.
    PackedImmOp {
        Pshufd => Pshufd_xmm_xmmm128_imm8,
        Pshuflw => Pshuflw_xmm_xmmm128_imm8,
        Pshufhw => Pshufhw_xmm_xmmm128_imm8,
        Shufps => Shufps_xmm_xmmm128_imm8 | VEX_Vshufps_xmm_xmm_xmmm128_imm8,
        Shufpd => Shufpd_xmm_xmmm128_imm8 | VEX_Vshufpd_xmm_xmm_xmmm128_imm8,
        Palignr => Palignr_xmm_xmmm128_imm8 | VEX_Vpalignr_xmm_xmm_xmmm128_imm8,
        Pblendw => Pblendw_xmm_xmmm128_imm8 | VEX_Vpblendw_xmm_xmm_xmmm128_imm8,
        Blendps => Blendps_xmm_xmmm128_imm8 | VEX_Vblendps_xmm_xmm_xmmm128_imm8,
        Blendpd => Blendpd_xmm_xmmm128_imm8 | VEX_Vblendpd_xmm_xmm_xmmm128_imm8,
        Cmpps => Cmpps_xmm_xmmm128_imm8 | VEX_Vcmpps_xmm_xmm_xmmm128_imm8,
        Cmppd => Cmppd_xmm_xmmm128_imm8 | VEX_Vcmppd_xmm_xmm_xmmm128_imm8,
        Roundps => Roundps_xmm_xmmm128_imm8,
        Roundpd => Roundpd_xmm_xmmm128_imm8,
        Insertps => Insertps_xmm_xmmm32_imm8 | VEX_Vinsertps_xmm_xmm_xmmm32_imm8,
    }
}

packed_table! {
    /// `op xmm, imm8`: every lane shifted by the same constant; `pslldq`/`psrldq` shift the
    /// whole register by bytes.
    PackedShiftOp {
        Psllw => Psllw_xmm_imm8 | VEX_Vpsllw_xmm_xmm_imm8,
        Pslld => Pslld_xmm_imm8 | VEX_Vpslld_xmm_xmm_imm8,
        Psllq => Psllq_xmm_imm8 | VEX_Vpsllq_xmm_xmm_imm8,
        Psrlw => Psrlw_xmm_imm8 | VEX_Vpsrlw_xmm_xmm_imm8,
        Psrld => Psrld_xmm_imm8 | VEX_Vpsrld_xmm_xmm_imm8,
        Psrlq => Psrlq_xmm_imm8 | VEX_Vpsrlq_xmm_xmm_imm8,
        Psraw => Psraw_xmm_imm8 | VEX_Vpsraw_xmm_xmm_imm8,
        Psrad => Psrad_xmm_imm8 | VEX_Vpsrad_xmm_xmm_imm8,
        Pslldq => Pslldq_xmm_imm8 | VEX_Vpslldq_xmm_xmm_imm8,
        Psrldq => Psrldq_xmm_imm8 | VEX_Vpsrldq_xmm_xmm_imm8,
    }
}

packed_table! {
    /// `op r32, xmm`: gathers the sign bit of every lane into a general register.
    MoveMaskOp {
        Movmskps => Movmskps_r32_xmm,
        Movmskpd => Movmskpd_r32_xmm,
        Pmovmskb => Pmovmskb_r32_xmm,
    }
}
