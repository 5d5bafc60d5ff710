#!/usr/bin/env bash
# Builds Lore's libFuzzer targets with plain swiftc and runs each of them.
#
#   Fuzz/run.sh [SECONDS] [TARGET...]
#
# SECONDS (default 10) is how long each target runs; 0 only builds. With no
# TARGET, all targets run, one after the other. Exits non-zero if a target
# fails to build, or crashes, leaks, times out or runs out of memory; the
# input that did it is written to Fuzz/crashes/<target>/.
#
# Environment: SWIFTC (default: swiftc on PATH, else /opt/swift/usr/bin/swiftc),
# CLANG (default: the clang next to SWIFTC, so the sanitizer runtimes match;
# used for Yams's C part), NICE (default 10: builds and runs are niced),
# FUZZ_FLAGS (extra libFuzzer flags, e.g. FUZZ_FLAGS="-jobs=1 -workers=1").
#
# The YAML targets need Yams's sources, which SwiftPM checks out: run
# `swift build` (or `swift package resolve`) first.
set -uo pipefail

FUZZ_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$FUZZ_DIR")
ALL_TARGETS=(pagerduty-webhook pagerduty-export slack-day-file timeline-table markdown multipart rfc3339 catalog-yaml rules-yaml)

DURATION=${1:-10}
[[ $# -gt 0 ]] && shift
if ! [[ $DURATION =~ ^[0-9]+$ ]]; then
    echo "usage: $0 [SECONDS] [TARGET...]   targets: ${ALL_TARGETS[*]}" >&2
    exit 2
fi
TARGETS=("$@")
[[ ${#TARGETS[@]} -eq 0 ]] && TARGETS=("${ALL_TARGETS[@]}")

SWIFTC=${SWIFTC:-$(command -v swiftc || echo /opt/swift/usr/bin/swiftc)}
NICE=${NICE:-10}
SRC="$FUZZ_DIR/.build-src"   # copies of Sources/ without `import LoreCore`
BIN="$FUZZ_DIR/.bin"
LOGS="$FUZZ_DIR/.logs"
mkdir -p "$SRC" "$BIN" "$LOGS"

# The Lore sources (relative to the repository) each target is built from.
# Everything goes into one module, LoreFuzz, so internal API is reachable.
lore_core() { (cd "$ROOT" && find Sources/LoreCore -name '*.swift' | LC_ALL=C sort); }
sources_for() {
    case $1 in
        pagerduty-webhook | pagerduty-export)
            lore_core
            (cd "$ROOT" && ls Sources/LoreImport/PagerDuty/*.swift Sources/LoreImport/Support/*.swift) ;;
        slack-day-file)
            echo Sources/LoreImport/Slack/SlackDayFileScanner.swift
            echo Sources/LoreImport/Slack/SlackMarkup.swift
            (cd "$ROOT" && ls Sources/LoreImport/Support/*.swift) ;;
        timeline-table)
            lore_core
            (cd "$ROOT" && ls Sources/LoreImport/Timeline/*.swift)
            (cd "$ROOT" && ls Sources/LoreImport/Support/*.swift) ;;
        markdown) (cd "$ROOT" && ls Sources/LoreCore/Markdown/*.swift) ;;
        multipart) echo Sources/LoreServer/HTTP/MultipartBody.swift ;;
        rfc3339)
            echo Sources/LoreCore/Incidents/LoreTime.swift
            echo Sources/LoreCore/Support/CivilDate.swift ;;
        catalog-yaml | rules-yaml)
            lore_core
            echo Sources/LoreImport/Catalog/CatalogFile.swift
            echo Sources/LoreImport/Language/RuleFile.swift
            echo Sources/LoreImport/YAML/YAMLLimits.swift ;;
        *) return 1 ;;
    esac
}
# Stand-ins for types whose real definitions need a package dependency.
shims_for() {
    case $1 in
        multipart) echo "$FUZZ_DIR/Shims/Forms.swift" ;;  # FormData, UploadedFile (Forms.swift imports Hummingbird)
        catalog-yaml | rules-yaml)
            echo "$FUZZ_DIR/Shims/Bundle.swift"      # Bundle.module (SwiftPM makes it), for default-rules.yaml
            echo "$FUZZ_DIR/Shims/YAMLLines.swift" ;;  # lastLine, checkProblemLines
    esac
}
uses_yams() { [[ $1 == catalog-yaml || $1 == rules-yaml ]]; }

# Yams (YAML), for the targets that need it: its C part (libyaml, CYaml) is
# compiled with clang into objects, its Swift part into a module of its own,
# `Yams` (so the Lore sources keep `import Yams` and `Yams.compose`), both
# instrumented like the targets and built once into Fuzz/.bin/yams/.
YAMS_SRC="$ROOT/.build/checkouts/Yams/Sources"
YAMS_OUT="$BIN/yams"
YAMS_FLAGS=()    # swiftc flags that make `import Yams` work and link Yams in
YAMS_BUILT=""    # "ok" or "failed" once tried in this run
YAMS_TIME=0
build_yams() {
    [[ -n $YAMS_BUILT ]] && { [[ $YAMS_BUILT == ok ]]; return; }
    YAMS_BUILT=failed
    if [[ ! -d $YAMS_SRC/CYaml/src || ! -d $YAMS_SRC/Yams ]]; then
        echo "Fuzz/run.sh: the YAML targets need Yams's sources in ${YAMS_SRC#$ROOT/}, which SwiftPM checks out; run \`swift build\` (or \`swift package resolve\`) first" >&2
        return 1
    fi
    local clang=${CLANG:-}
    if [[ -z $clang ]]; then
        local dir
        for dir in "$(dirname "$SWIFTC")" "$(dirname "$(readlink -f "$SWIFTC")")"; do
            [[ -x $dir/clang ]] && { clang=$dir/clang; break; }
        done
    fi
    if [[ -z $clang || ! -x $clang ]]; then
        echo "Fuzz/run.sh: no clang next to $SWIFTC (the one that ships with Swift has the matching sanitizer runtimes); set CLANG" >&2
        return 1
    fi
    mkdir -p "$YAMS_OUT/CYaml"
    local start end c o objects=() changed=0
    start=$(date +%s.%N)
    for c in "$YAMS_SRC"/CYaml/src/*.c; do
        o="$YAMS_OUT/CYaml/$(basename "$c" .c).o"
        objects+=("$o")
        if [[ ! -f $o || $c -nt $o || $FUZZ_DIR/run.sh -nt $o || $YAMS_SRC/CYaml/src/yaml_private.h -nt $o || $YAMS_SRC/CYaml/include/yaml.h -nt $o ]]; then
            [[ $changed == 0 ]] && echo "== yams: building CYaml (clang)"
            changed=1
            nice -n "$NICE" "$clang" -fsanitize=fuzzer-no-link,address -O1 -g -DYAML_DECLARE_STATIC \
                -I "$YAMS_SRC/CYaml/include" -c "$c" -o "$o" || return 1
        fi
    done
    local swift_files=() f
    while read -r f; do swift_files+=("$f"); done < <(find "$YAMS_SRC/Yams" -name '*.swift' | LC_ALL=C sort)
    local module="$YAMS_OUT/Yams.swiftmodule" object="$YAMS_OUT/Yams.o"
    for f in "${swift_files[@]}" "$FUZZ_DIR/run.sh"; do [[ $f -nt $object || $f -nt $module ]] && changed=1; done
    if [[ $changed == 1 || ! -f $object || ! -f $module ]]; then
        echo "== yams: building Yams (swiftc)"
        # SWIFT_PACKAGE: Yams imports CYaml only when built as a package.
        (cd "$YAMS_OUT" && nice -n "$NICE" "$SWIFTC" -sanitize=fuzzer,address -parse-as-library -O -wmo -g \
            -module-name Yams -D SWIFT_PACKAGE -Xcc -DYAML_DECLARE_STATIC -I "$YAMS_SRC/CYaml/include" \
            -emit-module -emit-module-path "$module" -c "${swift_files[@]}" -o "$object") || return 1
        end=$(date +%s.%N)
        YAMS_TIME=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')
        echo "== yams: built in $YAMS_TIME s"
    else
        echo "== yams: up to date"
    fi
    YAMS_FLAGS=(-I "$YAMS_OUT" -I "$YAMS_SRC/CYaml/include" -Xcc -DYAML_DECLARE_STATIC "$object" "${objects[@]}")
    YAMS_BUILT=ok
}

# Copies a source file into .build-src without `import LoreCore` (only when
# it changed, so the up-to-date check below sees real changes only).
prepare() {
    local out="$SRC/$1"
    mkdir -p "$(dirname "$out")"
    sed '/^import LoreCore$/d' "$ROOT/$1" > "$out.tmp"
    if cmp -s "$out.tmp" "$out"; then rm "$out.tmp"; else mv "$out.tmp" "$out"; fi
    echo "$out"
}

build() {
    local target=$1 files=() f
    local harness="$FUZZ_DIR/Targets/$target.swift"
    [[ -f $harness ]] || { echo "unknown target: $target" >&2; return 1; }
    while read -r f; do files+=("$(prepare "$f")"); done < <(sources_for "$target")
    while read -r f; do [[ -n $f ]] && files+=("$f"); done < <(shims_for "$target")
    files+=("$harness")
    local extra=()
    if uses_yams "$target"; then
        build_yams || return 1
        extra=("${YAMS_FLAGS[@]}")
    fi
    local bin="$BIN/$target" stale=0
    [[ -x $bin ]] || stale=1
    for f in "${files[@]}" "$FUZZ_DIR/run.sh" "${extra[@]}"; do [[ -f $f && $f -nt $bin ]] && stale=1; done
    if [[ $stale == 0 ]]; then
        echo "== $target: up to date"
        BUILD_TIME[$target]=0
        return 0
    fi
    echo "== $target: building (${#files[@]} files)"
    local start end
    start=$(date +%s.%N)
    # -wmo: one frontend process, so the build takes a single core. Run from
    # .build-src: with -g the driver leaves LoreFuzz-*.swiftmodule in the cwd.
    (cd "$SRC" && nice -n "$NICE" "$SWIFTC" -sanitize=fuzzer,address -parse-as-library -O -wmo -g -use-ld=lld \
        -module-name LoreFuzz "${extra[@]}" "${files[@]}" -o "$bin") || return 1
    end=$(date +%s.%N)
    BUILD_TIME[$target]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')
    echo "== $target: built in ${BUILD_TIME[$target]} s"
    # The first target that needed a fresh Yams also counts its build.
    if [[ $YAMS_TIME != 0 ]]; then
        BUILD_TIME[$target]=$(( BUILD_TIME[$target] + YAMS_TIME ))
        YAMS_TIME=0
    fi
}

# Runs a target on a scratch copy of its seed corpus; prints one summary line.
run() {
    local target=$1 log="$LOGS/$1.log" work status
    work=$(mktemp -d "${TMPDIR:-/tmp}/lore-fuzz-$target.XXXXXX")
    cp -R "$FUZZ_DIR/corpus/$target/." "$work/"
    mkdir -p "$FUZZ_DIR/crashes/$target"
    local dict=()  # a libFuzzer dictionary, if the target has one
    [[ -f $FUZZ_DIR/dict/$target.dict ]] && dict=(-dict="$FUZZ_DIR/dict/$target.dict")
    echo "== $target: fuzzing for $DURATION s (log: ${log#$ROOT/})"
    # The Swift runtime's own backtracer would race libFuzzer's and ASan's.
    # shellcheck disable=SC2086
    SWIFT_BACKTRACE=enable=no nice -n "$NICE" "$BIN/$target" -max_total_time="$DURATION" -max_len=65536 -rss_limit_mb=1024 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$FUZZ_DIR/crashes/$target/" "${dict[@]}" ${FUZZ_FLAGS:-} "$work" > "$log" 2>&1
    status=$?
    rm -rf "$work"
    local execs rate rss last cov ft
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
    local result=ok
    if [[ $status != 0 ]]; then
        result=$(grep -m1 -oE 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer): [a-z-]+( [a-z-]+)*|Fatal error|deadly signal' "$log" || true)
        result="FAIL ($status${result:+: $result}); input: $(grep -m1 -oE "Test unit written to [^ ]+" "$log" | sed "s|Test unit written to ${ROOT}/||")"
        FAILED=1
    fi
    SUMMARY+=("$(printf '%-18s %6s %10s %8s %6s %7s %7s  %s' "$target" "${BUILD_TIME[$target]:-?}" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${rss:-?}" "$result")")
}

declare -A BUILD_TIME
SUMMARY=()
FAILED=0
for target in "${TARGETS[@]}"; do
    if ! build "$target"; then
        echo "== $target: BUILD FAILED" >&2
        SUMMARY+=("$(printf '%-18s %s' "$target" 'BUILD FAILED')")
        FAILED=1
        continue
    fi
    if [[ $DURATION -gt 0 ]]; then
        run "$target"
    else
        SUMMARY+=("$(printf '%-18s %6s' "$target" "${BUILD_TIME[$target]}")")
    fi
done

echo
printf '%-18s %6s %10s %8s %6s %7s %7s  %s\n' target build_s execs exec/s cov ft rss_mb result
printf '%s\n' "${SUMMARY[@]}"
exit $FAILED
