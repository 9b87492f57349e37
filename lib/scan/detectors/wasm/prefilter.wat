;; Keyword prefilter: one pass over bytes; reports every position p whose 4 bytes ending at p,
;; case-folded as (b | 0x20) & 0x7f and read as one little-endian 32-bit word w, hash
;; ((w * golden ratio) >>> 12) into a 2^20-bit bitmap (128 KiB) of keyword grams. A 32 KiB gate
;; indexed by the last two folded bytes (one 16-bit load) skips the hash for most positions.
;; Every position is computed from its own loads (no running shift register), so consecutive
;; positions do not depend on each other; four per iteration. 3-char keywords are entered once
;; per folded byte that may precede them. The 3 bytes before the first position must be readable
;; (JS pads them with zeros, which fold to spaces). False hits are verified in JavaScript.
;; Memory layout (set up by JS): [0, 128K) bitmap; [128K, 160K) gate; output at 160K; input after.
;; Assembled with wabt's wat2wasm (npm package `wabt`); bytes embedded in prefilter.ts.
(module
  (memory (export "mem") 64)
  (func (export "scan") (param $p i32) (param $end i32) (param $out i32) (result i32)
    (local $q i32) (local $h i32) (local $o i32)
    (local.set $o (local.get $out))
    ;; $q is the first byte of the 4-byte window; the reported position is $q + 3
    (local.set $q (i32.sub (local.get $p) (i32.const 3)))
    (block $tail
      (loop $L4
        (br_if $tail (i32.gt_u (i32.add (local.get $q) (i32.const 7)) (local.get $end)))
        (if (i32.load8_u offset=131072 (i32.and (i32.or (i32.load16_u offset=2 (local.get $q)) (i32.const 0x2020)) (i32.const 0x7f7f)))
          (then
            (local.set $h (i32.shr_u (i32.mul (i32.and (i32.or (i32.load offset=0 (local.get $q)) (i32.const 0x20202020)) (i32.const 0x7f7f7f7f)) (i32.const 0x9E3779B1)) (i32.const 12)))
            (if (i32.and (i32.load8_u (i32.shr_u (local.get $h) (i32.const 3))) (i32.shl (i32.const 1) (i32.and (local.get $h) (i32.const 7))))
              (then
                (i32.store (local.get $o) (i32.add (local.get $q) (i32.const 3)))
                (local.set $o (i32.add (local.get $o) (i32.const 4)))))))
        (if (i32.load8_u offset=131072 (i32.and (i32.or (i32.load16_u offset=3 (local.get $q)) (i32.const 0x2020)) (i32.const 0x7f7f)))
          (then
            (local.set $h (i32.shr_u (i32.mul (i32.and (i32.or (i32.load offset=1 (local.get $q)) (i32.const 0x20202020)) (i32.const 0x7f7f7f7f)) (i32.const 0x9E3779B1)) (i32.const 12)))
            (if (i32.and (i32.load8_u (i32.shr_u (local.get $h) (i32.const 3))) (i32.shl (i32.const 1) (i32.and (local.get $h) (i32.const 7))))
              (then
                (i32.store (local.get $o) (i32.add (local.get $q) (i32.const 4)))
                (local.set $o (i32.add (local.get $o) (i32.const 4)))))))
        (if (i32.load8_u offset=131072 (i32.and (i32.or (i32.load16_u offset=4 (local.get $q)) (i32.const 0x2020)) (i32.const 0x7f7f)))
          (then
            (local.set $h (i32.shr_u (i32.mul (i32.and (i32.or (i32.load offset=2 (local.get $q)) (i32.const 0x20202020)) (i32.const 0x7f7f7f7f)) (i32.const 0x9E3779B1)) (i32.const 12)))
            (if (i32.and (i32.load8_u (i32.shr_u (local.get $h) (i32.const 3))) (i32.shl (i32.const 1) (i32.and (local.get $h) (i32.const 7))))
              (then
                (i32.store (local.get $o) (i32.add (local.get $q) (i32.const 5)))
                (local.set $o (i32.add (local.get $o) (i32.const 4)))))))
        (if (i32.load8_u offset=131072 (i32.and (i32.or (i32.load16_u offset=5 (local.get $q)) (i32.const 0x2020)) (i32.const 0x7f7f)))
          (then
            (local.set $h (i32.shr_u (i32.mul (i32.and (i32.or (i32.load offset=3 (local.get $q)) (i32.const 0x20202020)) (i32.const 0x7f7f7f7f)) (i32.const 0x9E3779B1)) (i32.const 12)))
            (if (i32.and (i32.load8_u (i32.shr_u (local.get $h) (i32.const 3))) (i32.shl (i32.const 1) (i32.and (local.get $h) (i32.const 7))))
              (then
                (i32.store (local.get $o) (i32.add (local.get $q) (i32.const 6)))
                (local.set $o (i32.add (local.get $o) (i32.const 4)))))))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (br $L4)))
    (block $done
      (loop $L1
        (br_if $done (i32.ge_u (i32.add (local.get $q) (i32.const 3)) (local.get $end)))
        (if (i32.load8_u offset=131072 (i32.and (i32.or (i32.load16_u offset=2 (local.get $q)) (i32.const 0x2020)) (i32.const 0x7f7f)))
          (then
            (local.set $h (i32.shr_u (i32.mul (i32.and (i32.or (i32.load offset=0 (local.get $q)) (i32.const 0x20202020)) (i32.const 0x7f7f7f7f)) (i32.const 0x9E3779B1)) (i32.const 12)))
            (if (i32.and (i32.load8_u (i32.shr_u (local.get $h) (i32.const 3))) (i32.shl (i32.const 1) (i32.and (local.get $h) (i32.const 7))))
              (then
                (i32.store (local.get $o) (i32.add (local.get $q) (i32.const 3)))
                (local.set $o (i32.add (local.get $o) (i32.const 4)))))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $L1)))
    (i32.shr_u (i32.sub (local.get $o) (local.get $out)) (i32.const 2)))
)
