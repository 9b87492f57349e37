;; Counts the control bytes of a sniff sample: bytes below 0x20 other than \t \n \f \r and ESC
;; (see sniff.ts), 16 bytes per step. Two swizzles classify each byte by table — the first for
;; 0..15, the second for 16..31 (swizzle gives 0 for an index >= 16, so each table sees only its
;; own range) — and a lane's 0 / -1 is subtracted into a per-lane byte counter, folded into 32-bit
;; lanes every 128 steps before it could pass 255. JS copies the sample to offset 0.
;; Assembled with wabt's wat2wasm (npm package `wabt`, SIMD enabled); bytes embedded in
;; control-bytes.ts.
(module
  (memory (export "mem") 1)
  (func (export "ctrl") (param $n i32) (result i32)
    (local $i i32) (local $end i32) (local $v v128) (local $acc v128) (local $sum v128) (local $k i32)
    (local $lo v128) (local $hi v128)
    ;; lane i: 0xff when byte i (0..15) is a control byte; 9 10 12 13 are not
    (local.set $lo (v128.const i8x16 -1 -1 -1 -1 -1 -1 -1 -1 -1 0 0 -1 0 0 -1 -1))
    ;; bytes 16..31: all but ESC (27 = 16 + 11)
    (local.set $hi (v128.const i8x16 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 0 -1 -1 -1 -1))
    (local.set $end (i32.and (local.get $n) (i32.const -16)))
    (block $done
      (loop $L
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (v128.load (local.get $i)))
        (local.set $acc (i8x16.sub (local.get $acc)
          (v128.or
            (i8x16.swizzle (local.get $lo) (local.get $v))
            (i8x16.swizzle (local.get $hi) (i8x16.sub (local.get $v) (i8x16.splat (i32.const 16)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        ;; a byte lane holds at most 255: fold into 32-bit lanes every 128 steps
        (if (i32.eq (local.get $k) (i32.const 128))
          (then
            (local.set $sum (i32x4.add (local.get $sum) (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $acc)))))
            (local.set $acc (v128.const i64x2 0 0))
            (local.set $k (i32.const 0))))
        (br $L)))
    (local.set $sum (i32x4.add (local.get $sum) (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $acc)))))
    (local.set $k
      (i32.add
        (i32.add (i32x4.extract_lane 0 (local.get $sum)) (i32x4.extract_lane 1 (local.get $sum)))
        (i32.add (i32x4.extract_lane 2 (local.get $sum)) (i32x4.extract_lane 3 (local.get $sum)))))
    ;; the last n % 16 bytes, one at a time
    (block $tdone
      (loop $T
        (br_if $tdone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $v (i8x16.splat (i32.load8_u (local.get $i))))
        (local.set $k (i32.add (local.get $k)
          (i32.and (i32.const 1) (i8x16.extract_lane_u 0
            (v128.or
              (i8x16.swizzle (local.get $lo) (local.get $v))
              (i8x16.swizzle (local.get $hi) (i8x16.sub (local.get $v) (i8x16.splat (i32.const 16)))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $T)))
    (local.get $k))
)
