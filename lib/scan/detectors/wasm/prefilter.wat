;; Keyword prefilter over bytes, in two branch-free passes (data-dependent branches mispredict
;; on real text and cost more than the work itself).
;; Pass 1 visits every second position p (the last byte of a 4-byte window) and keeps p when the
;; 32 KiB gate, indexed by the 7-bit pair (b[p-1] & 0x7f, b[p] & 0x7f), holds 1. The gate is not
;; case-folded: JS enters every case variant of a case-insensitive keyword's pairs and only the
;; exact pairs of an exact-case one (so "AKIA" does not pass on every "ia" of English text). JS
;; enters each keyword gram's last pair (gram ends at p) and its middle pair (gram ends at p + 1),
;; so skipping odd positions loses nothing. Candidates are written unconditionally and the cursor
;; advances only on a gate hit. Pass 2 takes each kept p and tests the windows ending at p and at
;; p + 1: the case-folded ((b | 0x20) & 0x7f) 4-byte little-endian word w hashes
;; ((w * golden ratio) >>> 12) into a 2^20-bit (128 KiB) gram bitmap. 3-char keywords are entered
;; once per folded byte that may precede them. The 3 bytes before the first position must be
;; readable (JS pads them with zeros). False hits are verified in JS.
;; Memory layout (set up by JS): [0, 128K) bitmap; [128K, 160K) gate; `out` (result positions)
;; and, `$scratch` bytes after it, pass 1's list; input after that.
;; Assembled with wabt's wat2wasm (npm package `wabt`); bytes embedded in prefilter.ts.
(module
  (memory (export "mem") 64)
  (func (export "scan") (param $p i32) (param $end i32) (param $out i32) (param $scratch i32) (result i32)
    (local $q i32) (local $o i32) (local $i i32) (local $h i32) (local $s i32)
    (local.set $s (i32.add (local.get $out) (local.get $scratch)))
    (local.set $o (local.get $s))
    ;; $q is the first byte of the window ending at the visited position $q + 3
    (local.set $q (i32.sub (local.get $p) (i32.const 3)))
    (block $tail
      (loop $L4
        (br_if $tail (i32.gt_s (i32.add (local.get $q) (i32.const 10)) (local.get $end)))
        (i32.store (local.get $o) (i32.add (local.get $q) (i32.const 3)))
        (local.set $o (i32.add (local.get $o) (i32.shl (i32.load8_u offset=131072 (i32.and (i32.load16_u offset=2 (local.get $q)) (i32.const 0x7f7f))) (i32.const 2))))
        (i32.store (local.get $o) (i32.add (local.get $q) (i32.const 5)))
        (local.set $o (i32.add (local.get $o) (i32.shl (i32.load8_u offset=131072 (i32.and (i32.load16_u offset=4 (local.get $q)) (i32.const 0x7f7f))) (i32.const 2))))
        (i32.store (local.get $o) (i32.add (local.get $q) (i32.const 7)))
        (local.set $o (i32.add (local.get $o) (i32.shl (i32.load8_u offset=131072 (i32.and (i32.load16_u offset=6 (local.get $q)) (i32.const 0x7f7f))) (i32.const 2))))
        (i32.store (local.get $o) (i32.add (local.get $q) (i32.const 9)))
        (local.set $o (i32.add (local.get $o) (i32.shl (i32.load8_u offset=131072 (i32.and (i32.load16_u offset=8 (local.get $q)) (i32.const 0x7f7f))) (i32.const 2))))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (br $L4)))
    (block $done
      (loop $L1
        (br_if $done (i32.ge_s (i32.add (local.get $q) (i32.const 3)) (local.get $end)))
        (i32.store (local.get $o) (i32.add (local.get $q) (i32.const 3)))
        (local.set $o (i32.add (local.get $o) (i32.shl (i32.load8_u offset=131072 (i32.and (i32.load16_u offset=2 (local.get $q)) (i32.const 0x7f7f))) (i32.const 2))))
        (local.set $q (i32.add (local.get $q) (i32.const 2)))
        (br $L1)))
    ;; pass 2: read the list at $s, write confirmed positions at $out ($q is the write cursor)
    (local.set $i (local.get $s))
    (local.set $q (local.get $out))
    (block $d2
      (loop $L2
        (br_if $d2 (i32.ge_u (local.get $i) (local.get $o)))
        (local.set $p (i32.load (local.get $i)))
        (local.set $h (i32.shr_u (i32.mul (i32.and (i32.or (i32.load (i32.sub (local.get $p) (i32.const 3))) (i32.const 0x20202020)) (i32.const 0x7f7f7f7f)) (i32.const 0x9E3779B1)) (i32.const 12)))
        (i32.store (local.get $q) (local.get $p))
        (local.set $q (i32.add (local.get $q) (i32.shl (i32.and (i32.shr_u (i32.load8_u (i32.shr_u (local.get $h) (i32.const 3))) (i32.and (local.get $h) (i32.const 7))) (i32.const 1)) (i32.const 2))))
        (local.set $h (i32.shr_u (i32.mul (i32.and (i32.or (i32.load (i32.sub (local.get $p) (i32.const 2))) (i32.const 0x20202020)) (i32.const 0x7f7f7f7f)) (i32.const 0x9E3779B1)) (i32.const 12)))
        (i32.store (local.get $q) (i32.add (local.get $p) (i32.const 1)))
        ;; the window ending at p + 1 exists only if p + 1 < end
        (local.set $q (i32.add (local.get $q) (i32.shl (i32.and (i32.and (i32.shr_u (i32.load8_u (i32.shr_u (local.get $h) (i32.const 3))) (i32.and (local.get $h) (i32.const 7))) (i32.const 1)) (i32.lt_u (i32.add (local.get $p) (i32.const 1)) (local.get $end))) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $L2)))
    (i32.shr_u (i32.sub (local.get $q) (local.get $out)) (i32.const 2)))
)
