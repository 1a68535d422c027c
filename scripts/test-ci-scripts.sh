#!/usr/bin/env bash
# Tests the bookkeeping of scripts/drift.sh and scripts/deploy-environment.sh
# with stub make, go, terraform and npx commands first on PATH, so no real
# Terraform, cdktf or AWS call happens.
#
#   scripts/test-ci-scripts.sh        (make test runs it)
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/project/scripts" "$work/bin"
cp "$repo/scripts/drift.sh" "$repo/scripts/deploy-environment.sh" "$work/project/scripts/"

# Stubs. STUB_STACKS: stacks cmd/graph prints. STUB_PLAN_<n>: exit status of
# terraform plan for stack n (dashes as underscores). STUB_INIT_FAIL: stack
# whose init fails. STUB_DEPLOY_FAIL: stack whose cdktf deploy fails.
cat >"$work/bin/make" <<'STUB'
#!/usr/bin/env bash
echo "make $* PLATFORM_PLAN=${PLATFORM_PLAN:-}" >>"$STUB_LOG"
STUB
cat >"$work/bin/go" <<'STUB'
#!/usr/bin/env bash
[[ "$*" == "run ./cmd/graph -env $STUB_ENV -order" ]] || { echo "go stub: unexpected $*" >&2; exit 3; }
printf '%s\n' $STUB_STACKS
STUB
cat >"$work/bin/terraform" <<'STUB'
#!/usr/bin/env bash
echo "terraform $*" >>"$STUB_LOG"
stack="${1#-chdir=cdktf.out/stacks/}"
var="STUB_PLAN_${stack//-/_}"
case "$2" in
  init) [[ "$stack" == "${STUB_INIT_FAIL:-}" ]] && exit 1; exit 0 ;;
  plan) exit "${!var:-0}" ;;
esac
exit 3
STUB
cat >"$work/bin/npx" <<'STUB'
#!/usr/bin/env bash
echo "npx $*" >>"$STUB_LOG"
[[ "$4" == "${STUB_DEPLOY_FAIL:-}" ]] && exit 1
exit 0
STUB
chmod +x "$work/bin/"*
export PATH="$work/bin:$PATH"
[[ "$(command -v terraform)" == "$work/bin/terraform" ]] || { echo "terraform stub not first on PATH" >&2; exit 1; }

failures=0
# check NAME CONDITION-COMMAND...: records a failed check without stopping.
check() {
  local name="$1"; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}

# run_case SCRIPT ENV STACKS [VAR=VALUE...]: runs SCRIPT in a fresh project
# with the given stub settings; sets status, output and summary.
run_case() {
  local script="$1" env_name="$2" stack_list="$3"; shift 3
  rm -rf "$work/project/cdktf.out"
  for s in $stack_list; do mkdir -p "$work/project/cdktf.out/stacks/$s"; done
  : >"$work/log"; : >"$work/summary"
  output="$(cd "$work/project" && env STUB_LOG="$work/log" STUB_ENV="$env_name" STUB_STACKS="$stack_list" \
    GITHUB_STEP_SUMMARY="$work/summary" "$@" "scripts/$script" "$env_name" 2>&1)"
  status=$?
  summary="$(cat "$work/summary")"
  log="$(cat "$work/log")"
}

stacks="prod-global prod-usw2-substrate prod-usw2-hosting prod-usw2-application"

run_case drift.sh prod "$stacks"
check "no drift exits 0" test "$status" -eq 0
check "no drift summary counts" grep -q "4 stacks: 4 without drift, 0 drifted, 0 failed" <<<"$summary"
check "synth in plan mode" grep -q "make --no-print-directory synth ENVS=prod PLATFORM_PLAN=1" <<<"$log"
check "plan without lock" grep -q "terraform -chdir=cdktf.out/stacks/prod-global plan -detailed-exitcode -lock=false" <<<"$log"
check "plans in deploy order" test "$(grep ' plan ' <<<"$log" | sed 's/.*stacks\/\([^ ]*\) .*/\1/' | tr '\n' ' ')" = "$stacks "

run_case drift.sh prod "$stacks" STUB_PLAN_prod_usw2_hosting=2
check "drift exits 1" test "$status" -eq 1
check "drifted stack marked" grep -q '| `prod-usw2-hosting` | \*\*drifted\*\* |' <<<"$summary"
check "clean stack marked" grep -q '| `prod-global` | no drift |' <<<"$summary"
check "drift summary counts" grep -q "4 stacks: 3 without drift, 1 drifted, 0 failed" <<<"$summary"

run_case drift.sh prod "$stacks" STUB_PLAN_prod_usw2_hosting=2 STUB_PLAN_prod_global=1
check "plan failure exits 2" test "$status" -eq 2
check "failed stack marked" grep -q '| `prod-global` | \*\*plan failed\*\*' <<<"$summary"
check "later stacks still planned" grep -q "stacks/prod-usw2-application plan" <<<"$log"

run_case drift.sh prod "$stacks" STUB_INIT_FAIL=prod-usw2-substrate
check "init failure exits 2" test "$status" -eq 2
check "no plan after failed init" bash -c '! grep -q "stacks/prod-usw2-substrate plan" <<<"$1"' _ "$log"

run_case drift.sh prod "$stacks" GITHUB_STEP_SUMMARY=
check "summary printed without GITHUB_STEP_SUMMARY" grep -q "## Drift in \`prod\`" <<<"$output"

run_case drift.sh prod ""
check "empty stack list exits 2" test "$status" -eq 2

run_case deploy-environment.sh prod "$stacks"
check "deploy exits 0" test "$status" -eq 0
check "deploys in order" test "$(grep '^npx' <<<"$log" | awk '{print $5}' | tr '\n' ' ')" = "$stacks "
check "deploy flags" grep -q "npx --no-install cdktf deploy prod-global --auto-approve --ignore-missing-stack-dependencies --skip-synth" <<<"$log"
check "deploy synth not in plan mode" grep -q "synth ENVS=prod PLATFORM_PLAN=\$" <<<"$log"

run_case deploy-environment.sh prod "$stacks" STUB_DEPLOY_FAIL=prod-usw2-substrate
check "deploy failure exits 1" test "$status" -eq 1
check "deploy stops at failure" test "$(grep -c '^npx' <<<"$log")" -eq 2
check "deploy names remaining" grep -q "not started: prod-usw2-hosting prod-usw2-application" <<<"$output"

run_case deploy-environment.sh prod "$stacks" STUB_DEPLOY_FAIL=prod-usw2-application
check "last stack failure names none" grep -q "not started: none" <<<"$output"

echo "$failures failed"
[[ $failures -eq 0 ]]
