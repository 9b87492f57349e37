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
;; verify: checks each candidate position p of `scan` (at $c, $n of them) against the keywords
;; themselves, so JavaScript sees only real occurrences. The folded 4 bytes ending at p (and the 3
;; ending at p, with the top bit set, for 3-char keywords) are looked up in an open-addressing
;; table at $tab (1024 slots of [key, list]; key 0 = empty); a list is [count] then count records
;; of [keyword record, keyword index (16 bits), gram offset (8 bits)]; a keyword record is
;; [length, exact-case flag, bytes (lowercase unless exact-case)]. Hits are written at $out as
;; [keyword index, start] pairs, in candidate order. A keyword reaching outside this chunk's copy
;; [$lo, $hi) is written with the top bit of its index set, for JS to check on the caller's bytes;
;; when the copy starts the text ($atStart), anything before $lo is not there and is dropped.
;; Candidates before $min were reported with the previous chunk.
  (func (export "verify") (param $c i32) (param $n i32) (param $lo i32) (param $hi i32) (param $min i32) (param $atStart i32) (param $out i32) (param $tab i32) (result i32)
    (local $end i32) (local $p i32) (local $w i32) (local $key i32) (local $slot i32) (local $list i32) (local $cnt i32)
    (local $e i32) (local $kw i32) (local $k i32) (local $start i32) (local $len i32) (local $o i32) (local $j i32)
    (local $b i32) (local $ch i32) (local $exact i32) (local $pass i32)
    (local.set $end (i32.add (local.get $c) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $o (local.get $out))
    (block $done
      (loop $L
        (br_if $done (i32.ge_u (local.get $c) (local.get $end)))
        (local.set $p (i32.load (local.get $c)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br_if $L (i32.lt_u (local.get $p) (local.get $min)))
        (local.set $w (i32.and (i32.or (i32.load (i32.sub (local.get $p) (i32.const 3))) (i32.const 0x20202020)) (i32.const 0x7f7f7f7f)))
        ;; pass 0: 4-grams ending at p; pass 1: 3-char keywords ending at p
        (local.set $pass (i32.const 0))
        (loop $P
          (local.set $key (select (local.get $w) (i32.or (i32.shr_u (local.get $w) (i32.const 8)) (i32.const 0x80000000)) (i32.eqz (local.get $pass))))
          (local.set $slot (i32.shr_u (i32.mul (local.get $key) (i32.const 0x9E3779B1)) (i32.const 22)))
          (local.set $list (i32.const 0))
          (block $found
            (loop $probe
              (local.set $k (i32.load (i32.add (local.get $tab) (i32.shl (local.get $slot) (i32.const 3)))))
              (br_if $found (i32.eqz (local.get $k)))
              (if (i32.eq (local.get $k) (local.get $key))
                (then
                  (local.set $list (i32.load offset=4 (i32.add (local.get $tab) (i32.shl (local.get $slot) (i32.const 3)))))
                  (br $found)))
              (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (i32.const 1023)))
              (br $probe)))
          (if (local.get $list)
            (then
              (local.set $cnt (i32.load (local.get $list)))
              (local.set $e (i32.add (local.get $list) (i32.const 4)))
              (block $ed
                (loop $E
                  (br_if $ed (i32.eqz (local.get $cnt)))
                  (local.set $cnt (i32.sub (local.get $cnt) (i32.const 1)))
                  (local.set $kw (i32.load (local.get $e)))
                  (local.set $k (i32.load16_u offset=4 (local.get $e)))
                  (local.set $start (i32.sub (i32.sub (local.get $p) (i32.sub (i32.const 3) (local.get $pass))) (i32.load8_u offset=6 (local.get $e))))
                  (local.set $e (i32.add (local.get $e) (i32.const 8)))
                  (local.set $len (i32.load8_u (local.get $kw)))
                  (if (i32.or (i32.lt_s (local.get $start) (local.get $lo)) (i32.gt_s (i32.add (local.get $start) (local.get $len)) (local.get $hi)))
                    (then
                      (if (i32.eqz (i32.and (local.get $atStart) (i32.lt_s (local.get $start) (local.get $lo))))
                        (then
                          (i32.store (local.get $o) (i32.or (local.get $k) (i32.const 0x80000000)))
                          (i32.store offset=4 (local.get $o) (local.get $start))
                          (local.set $o (i32.add (local.get $o) (i32.const 8)))))
                      (br $E)))
                  (local.set $exact (i32.load8_u offset=1 (local.get $kw)))
                  (local.set $j (i32.const 0))
                  (block $miss
                    (block $ok
                      (loop $C
                        (br_if $ok (i32.ge_u (local.get $j) (local.get $len)))
                        (local.set $b (i32.load8_u (i32.add (local.get $start) (local.get $j))))
                        (local.set $ch (i32.load8_u offset=2 (i32.add (local.get $kw) (local.get $j))))
                        (if (i32.ne (local.get $b) (local.get $ch))
                          (then
                            ;; case-insensitive keywords are lowercase: an uppercase letter also matches
                            (br_if $miss (local.get $exact))
                            (br_if $miss (i32.ge_u (i32.sub (local.get $ch) (i32.const 97)) (i32.const 26)))
                            (br_if $miss (i32.ne (local.get $b) (i32.sub (local.get $ch) (i32.const 32))))))
                        (local.set $j (i32.add (local.get $j) (i32.const 1)))
                        (br $C)))
                    (i32.store (local.get $o) (local.get $k))
                    (i32.store offset=4 (local.get $o) (local.get $start))
                    (local.set $o (i32.add (local.get $o) (i32.const 8))))
                  (br $E)))))
          (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
          (br_if $P (i32.lt_u (local.get $pass) (i32.const 2))))
        (br $L)))
    (i32.shr_u (i32.sub (local.get $o) (local.get $out)) (i32.const 3)))
)
