#!/usr/bin/env bash
# Detects drift in one environment. It synthesizes the environment's stacks in
# plan mode (PLATFORM_PLAN=1, which reads state and AWS through read-only
# roles), runs `terraform plan -detailed-exitcode` in each stack in deploy
# order, and reports which stacks differ from what is deployed.
#
#   scripts/drift.sh prod
#
# Exit status: 0 when no stack drifted, 1 when at least one drifted and every
# plan ran, 2 when a stack failed to initialize or plan (its drift is then
# unknown). Every stack is planned even after a failure, so one run reports
# them all. The summary goes to standard output and, when GITHUB_STEP_SUMMARY
# is set, is appended to that file as Markdown.
#
# Needs Terraform, the credentials of the plan role and, for the hosting and
# application stacks, network access to the private EKS endpoints.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -ne 1 || -z "$1" ]]; then
  echo "usage: scripts/drift.sh <environment>" >&2
  exit 2
fi
env_name="$1"

export PLATFORM_PLAN=1
export TF_IN_AUTOMATION=1

make --no-print-directory synth ENVS="$env_name"

# The graph command prints the environment's own stacks in deploy order,
# without the orchestration stacks that the synth above also writes.
order="$(go run ./cmd/graph -env "$env_name" -order)"
mapfile -t stacks <<<"$order"
if [[ -z "$order" || ${#stacks[@]} -eq 0 ]]; then
  echo "error: cmd/graph printed no stacks for environment \"$env_name\"" >&2
  exit 2
fi

clean=()
drifted=()
failed=()
for stack in "${stacks[@]}"; do
  dir="cdktf.out/stacks/$stack"
  if [[ ! -d "$dir" ]]; then
    echo "error: $dir is missing; the synth did not write stack $stack" >&2
    failed+=("$stack")
    continue
  fi

  echo "::group::$stack"
  status=0
  # The plan role may read state but not write the lock table, hence
  # -lock=false. -reconfigure makes init ignore a backend recorded by an
  # earlier deploy in this folder instead of offering to migrate its state.
  if ! terraform -chdir="$dir" init -reconfigure -input=false -no-color; then
    status=1
  else
    terraform -chdir="$dir" plan -detailed-exitcode -lock=false -input=false -no-color || status=$?
  fi
  echo "::endgroup::"

  case "$status" in
    0) clean+=("$stack") ;;
    2) drifted+=("$stack") ;;
    *) failed+=("$stack") ;;
  esac
done

# Prints the Markdown summary: one row per stack in deploy order, then totals.
print_summary() {
  local stack result
  echo "## Drift in \`$env_name\`"
  echo
  echo "| stack | result |"
  echo "| --- | --- |"
  for stack in "${stacks[@]}"; do
    if [[ " ${drifted[*]} " == *" $stack "* ]]; then
      result="**drifted**"
    elif [[ " ${failed[*]} " == *" $stack "* ]]; then
      result="**plan failed**, drift unknown"
    else
      result="no drift"
    fi
    echo "| \`$stack\` | $result |"
  done
  echo
  echo "${#stacks[@]} stacks: ${#clean[@]} without drift, ${#drifted[@]} drifted, ${#failed[@]} failed to plan."
}

summary="$(print_summary)"
echo "$summary"
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  printf '%s\n\n' "$summary" >>"$GITHUB_STEP_SUMMARY"
fi

if [[ ${#failed[@]} -gt 0 ]]; then
  exit 2
fi
if [[ ${#drifted[@]} -gt 0 ]]; then
  exit 1
fi
