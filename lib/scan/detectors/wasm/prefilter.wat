;; Keyword prefilter: one pass over bytes; reports every position whose last 4 bytes, case-folded
;; as (b | 0x20) & 0x7f, hash into a 2^20-bit bitmap (128 KiB) of keyword prefixes. A 16 KiB gate
;; on the last two folded bytes skips the hash for most positions. 3-char keywords are entered
;; once per byte that may precede them. Four bytes per iteration from one 32-bit load.
;; False hits are verified in JavaScript.
;; Memory layout (set up by JS): [0, 128K) bitmap; [128K, 144K) gate; output at 144K; input after.
;; The four unrolled steps are identical but for the byte shift and position offset; assembled with wabt's wat2wasm; bytes embedded in prefilter.ts.
(module
  (memory (export "mem") 64)
  (func (export "scan") (param $p i32) (param $end i32) (param $out i32) (result i32)
    (local $v i32) (local $h i32) (local $o i32) (local $w i32)
    (local.set $o (local.get $out))
    (block $tail
      (loop $L4
        (br_if $tail (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $end)))
        (local.set $w (i32.load (local.get $p)))
        (local.set $v (i32.or (i32.shl (local.get $v) (i32.const 7)) (i32.and (i32.or (local.get $w) (i32.const 0x20)) (i32.const 0x7f))))
        (if (i32.load8_u (i32.add (i32.const 131072) (i32.and (local.get $v) (i32.const 0x3fff))))
          (then
            (local.set $h (i32.shr_u (i32.mul (i32.shl (local.get $v) (i32.const 4)) (i32.const 0x9E3779B1)) (i32.const 12)))
            (if (i32.and
                  (i32.load8_u (i32.shr_u (local.get $h) (i32.const 3)))
                  (i32.shl (i32.const 1) (i32.and (local.get $h) (i32.const 7))))
              (then
                (i32.store (local.get $o) (local.get $p))
                (local.set $o (i32.add (local.get $o) (i32.const 4)))))))
        (local.set $v (i32.or (i32.shl (local.get $v) (i32.const 7)) (i32.and (i32.or (i32.shr_u (local.get $w) (i32.const 8)) (i32.const 0x20)) (i32.const 0x7f))))
        (if (i32.load8_u (i32.add (i32.const 131072) (i32.and (local.get $v) (i32.const 0x3fff))))
          (then
            (local.set $h (i32.shr_u (i32.mul (i32.shl (local.get $v) (i32.const 4)) (i32.const 0x9E3779B1)) (i32.const 12)))
            (if (i32.and
                  (i32.load8_u (i32.shr_u (local.get $h) (i32.const 3)))
                  (i32.shl (i32.const 1) (i32.and (local.get $h) (i32.const 7))))
              (then
                (i32.store (local.get $o) (i32.add (local.get $p) (i32.const 1)))
                (local.set $o (i32.add (local.get $o) (i32.const 4)))))))
        (local.set $v (i32.or (i32.shl (local.get $v) (i32.const 7)) (i32.and (i32.or (i32.shr_u (local.get $w) (i32.const 16)) (i32.const 0x20)) (i32.const 0x7f))))
        (if (i32.load8_u (i32.add (i32.const 131072) (i32.and (local.get $v) (i32.const 0x3fff))))
          (then
            (local.set $h (i32.shr_u (i32.mul (i32.shl (local.get $v) (i32.const 4)) (i32.const 0x9E3779B1)) (i32.const 12)))
            (if (i32.and
                  (i32.load8_u (i32.shr_u (local.get $h) (i32.const 3)))
                  (i32.shl (i32.const 1) (i32.and (local.get $h) (i32.const 7))))
              (then
                (i32.store (local.get $o) (i32.add (local.get $p) (i32.const 2)))
                (local.set $o (i32.add (local.get $o) (i32.const 4)))))))
        (local.set $v (i32.or (i32.shl (local.get $v) (i32.const 7)) (i32.and (i32.or (i32.shr_u (local.get $w) (i32.const 24)) (i32.const 0x20)) (i32.const 0x7f))))
        (if (i32.load8_u (i32.add (i32.const 131072) (i32.and (local.get $v) (i32.const 0x3fff))))
          (then
            (local.set $h (i32.shr_u (i32.mul (i32.shl (local.get $v) (i32.const 4)) (i32.const 0x9E3779B1)) (i32.const 12)))
            (if (i32.and
                  (i32.load8_u (i32.shr_u (local.get $h) (i32.const 3)))
                  (i32.shl (i32.const 1) (i32.and (local.get $h) (i32.const 7))))
              (then
                (i32.store (local.get $o) (i32.add (local.get $p) (i32.const 3)))
                (local.set $o (i32.add (local.get $o) (i32.const 4)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $L4)))
    (block $done
      (loop $L1
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (i32.or (i32.shl (local.get $v) (i32.const 7)) (i32.and (i32.or (i32.load8_u (local.get $p)) (i32.const 0x20)) (i32.const 0x7f))))
        (if (i32.load8_u (i32.add (i32.const 131072) (i32.and (local.get $v) (i32.const 0x3fff))))
          (then
            (local.set $h (i32.shr_u (i32.mul (i32.shl (local.get $v) (i32.const 4)) (i32.const 0x9E3779B1)) (i32.const 12)))
            (if (i32.and
                  (i32.load8_u (i32.shr_u (local.get $h) (i32.const 3)))
                  (i32.shl (i32.const 1) (i32.and (local.get $h) (i32.const 7))))
              (then
                (i32.store (local.get $o) (local.get $p))
                (local.set $o (i32.add (local.get $o) (i32.const 4)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $L1)))
    (i32.shr_u (i32.sub (local.get $o) (local.get $out)) (i32.const 2)))
)
