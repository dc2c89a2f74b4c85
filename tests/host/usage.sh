# Host tests of xdplua's command line as one table: the synopses (usage,
# docs/xdplua.md), the table commands' errors, bash completion. No module
# needed: everything here is refused or printed before netlink.

# usage_error ARGS...: exit status 2 and an "xdplua: " message, in $OUT
usage_error() {
	local rc
	set +e
	OUT=$("$XDPLUA" "$@" 2>&1)
	rc=$?
	set -e
	expect_eq "$rc" 2 "exit status of: xdplua $*"
	expect_contains "$OUT" "xdplua: " "error prefix"
}

test_usage_synopsis_is_the_docs() {
	run "$XDPLUA" help
	got=$(printf '%s\n' "$OUT" | sed -n 's/^\(Usage:\|      \) xdplua /xdplua /p')
	# shellcheck disable=SC2016
	want=$(sed -n '/^## Synopsis/,/^## /p' docs/xdplua.md | sed -n '/^```$/,/^```$/p' | grep '^xdplua ')
	[ -n "$want" ] || fail "no synopsis in docs/xdplua.md"
	expect_eq "$got" "$want" "docs/xdplua.md's synopsis is xdplua help's"
}

test_usage_table_help() {
	run "$XDPLUA" table --help
	for sub in list create destroy set get del dump flush load; do
		expect_contains "$OUT" "xdplua table $sub " "table $sub"
	done
	expect_contains "$OUT" "--skey" "table options"
	case $OUT in *--pcap*|*"xdplua load"*) fail "other commands in table --help: $OUT" ;; esac
	run "$XDPLUA" help table
	expect_contains "$OUT" "xdplua table set NAME KEY VALUE [--ttl SECONDS] [--int|--str|--bool] [--skey]" "help table"
	run "$XDPLUA" run --help
	expect_contains "$OUT" "Usage: xdplua run SCRIPT|NAME --pcap FILE" "run --help"
	case $OUT in *"table set"*) fail "run --help shows the table commands" ;; esac
}

test_usage_table_errors() {
	usage_error table
	expect_contains "$OUT" "missing table subcommand" "no subcommand"
	usage_error table frob t
	expect_contains "$OUT" "unknown table subcommand 'frob'" "unknown subcommand"
	usage_error table set t k
	expect_contains "$OUT" "missing arguments: xdplua table set NAME KEY VALUE" "missing"
	usage_error table dump t --max 5
	expect_contains "$OUT" "option --max does not apply to table dump" "--max"
	usage_error table set --int --bool t k 1
	expect_contains "$OUT" "--int and --bool do not go together" "value types"
	usage_error table create t --max 0
	expect_contains "$OUT" "invalid --max '0': 1 to 16777216 entries" "--max range"
	usage_error table set --ttl -1 t k v
	usage_error table flush 'bad name'
	expect_contains "$OUT" "invalid table name 'bad name'" "name"
	usage_error table set --int t k one
	expect_contains "$OUT" "invalid integer value 'one'" "--int"
	usage_error table create t --pcap x
	expect_contains "$OUT" "option --pcap does not apply to table create" "another command's option"
	usage_error status -j -j x y
	expect_contains "$OUT" "too many arguments" "status"
	usage_error -F f -n name eth0
	expect_contains "$OUT" "option --name does not apply to -F" "-F takes no load option"
	usage_error -d eth0 -m skb
	expect_contains "$OUT" "option --mode does not apply to -d" "-d"
	usage_error attach s eth0 --force --multiprog
	expect_contains "$OUT" "--force and --multiprog do not go together" "attach"
	usage_error load a.lua --fallback redirect
	expect_contains "$OUT" "use pass, drop, aborted or tx" "the fallback verdicts from their table"
	usage_error completion zsh
}

# complete WORDS...: what the generated completion offers for the last word
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _xdplua; printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
		complete "$COMPLETION" "$XDPLUA" "$@"
}

test_usage_bash_completion() {
	COMPLETION=build/completion/xdplua
	[ -f "$COMPLETION" ] || fail "make did not write $COMPLETION"
	run "$XDPLUA" completion bash
	expect_eq "$OUT" "$(cat "$COMPLETION")" "the file is xdplua completion bash"
	bash -n "$COMPLETION" || fail "not bash"
	expect_eq "$(complete_words "")" "--help -F -L -d apply attach completion detach help load run save status table unload " "commands"
	expect_eq "$(complete_words table "")" "create del destroy dump flush get list load set " "table subcommands"
	expect_eq "$(complete_words attach x lo --mode "")" "native skb " "--mode"
	expect_eq "$(complete_words run x.lua --fallback "")" "aborted drop pass tx " "--fallback"
	expect_eq "$(complete_words run x.lua --out-verdict "")" "aborted drop pass redirect tx " "--out-verdict"
	expect_eq "$(complete_words table set --)" "--bool --help --int --skey --str --ttl --verbose " "table set's options"
	expect_eq "$(complete_words table create t --m)" "--max " "table create's options"
	expect_eq "$(complete_words -L x.lua --m)" "--mem-budget --mode --multiprog " "-L's options"
	expect_eq "$(complete_words completion "")" "bash " "completion"
	expect_contains " $(complete_words -L x.lua "")" " lo " "IFACE: interfaces"
	expect_contains " $(complete_words run examples/udp)" " examples/udp-drop.lua " "SCRIPT: files"
	expect_contains " $(complete_words table load t "")" " examples " "FILE: files"
	expect_eq "$(complete_words table set t "" | tr -d " ")" "" "KEY: nothing to offer"
}
