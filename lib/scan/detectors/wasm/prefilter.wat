;; Keyword prefilter: one pass over bytes; reports every position whose last 4 bytes, case-folded
;; as (b | 0x20) & 0x7f, hash into a 2^18-bit bitmap (32 KiB: stays in L1) of keyword prefixes.
;; A 16 KiB gate on the last two folded bytes skips the hash for almost every position.
;; 3-char keywords are entered once per possible preceding byte. False hits are verified in JS.
;; Memory layout (set up by JS): [0, 32K) bitmap; [32K, 48K) gate; output at 48K; input after it.
;; Assemble: wat2wasm prefilter.wat (the bytes are embedded, base64, in prefilter.ts).
(module
  (memory (export "mem") 64)
  (func (export "scan") (param $p i32) (param $end i32) (param $out i32) (result i32)
    (local $v i32) (local $h i32) (local $o i32)
    (local.set $o (local.get $out))
    (block $done
      (loop $L
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v
          (i32.or
            (i32.shl (local.get $v) (i32.const 7))
            (i32.and (i32.or (i32.load8_u (local.get $p)) (i32.const 0x20)) (i32.const 0x7f))))
        (if (i32.load8_u (i32.add (i32.const 32768) (i32.and (local.get $v) (i32.const 0x3fff))))
          (then
            (local.set $h (i32.shr_u (i32.mul (i32.shl (local.get $v) (i32.const 4)) (i32.const 0x9E3779B1)) (i32.const 14)))
            (if (i32.and
                  (i32.load8_u (i32.shr_u (local.get $h) (i32.const 3)))
                  (i32.shl (i32.const 1) (i32.and (local.get $h) (i32.const 7))))
              (then
                (i32.store (local.get $o) (local.get $p))
                (local.set $o (i32.add (local.get $o) (i32.const 4)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $L)))
    (i32.shr_u (i32.sub (local.get $o) (local.get $out)) (i32.const 2)))
)
