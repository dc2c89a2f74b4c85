# shellcheck shell=bash
# The fuzzing harnesses (fuzz/) on the committed corpus: every input once,
# then a few seconds of fuzzing from it, under ASan and UBSan. A sanitizer
# report or a crash fails the test, with the report. `make fuzz` runs a
# real campaign.

test_fuzz_corpus_replays_clean() {
	command -v clang >/dev/null || skip "no clang"
	run make -s fuzz-build
	if [ -z "$(ls fuzz/corpus/api)" ] || [ -z "$(ls fuzz/corpus/dns)" ]; then fail "no committed corpus"; fi
	run make -s -C fuzz replay SHORT=4
	local h
	for h in api dns; do
		grep -q "Executed .*corpus/$h/" "build/fuzz/replay-$h.log" ||
			fail "$h: the corpus did not run: $(tail -5 "build/fuzz/replay-$h.log")"
		grep -q "^Done [0-9]* runs" "build/fuzz/short-$h.log" ||
			fail "$h: no fuzzing run: $(tail -5 "build/fuzz/short-$h.log")"
	done
}
