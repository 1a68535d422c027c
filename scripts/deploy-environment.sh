#!/usr/bin/env bash
# Deploys one environment: synthesizes its stacks once, then deploys them one
# at a time in deploy order (global, then each region's substrate, hosting and
# application) and stops at the first stack that fails.
#
#   scripts/deploy-environment.sh prod
#
# The orchestration stacks are not deployed here: they need the orchestration
# account's platform-deploy role. Needs Terraform, the environment's CI deploy
# role, TWINGATE_API_TOKEN and network access to the private EKS endpoints.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -ne 1 || -z "$1" ]]; then
  echo "usage: scripts/deploy-environment.sh <environment>" >&2
  exit 2
fi
env_name="$1"

export TF_IN_AUTOMATION=1

make --no-print-directory synth ENVS="$env_name"

order="$(go run ./cmd/graph -env "$env_name" -order)"
mapfile -t stacks <<<"$order"
if [[ -z "$order" || ${#stacks[@]} -eq 0 ]]; then
  echo "error: cmd/graph printed no stacks for environment \"$env_name\"" >&2
  exit 2
fi
echo "deploying ${#stacks[@]} stacks of $env_name in this order: ${stacks[*]}"

# Every stack is deployed from the one synth above (--skip-synth), so all of
# them come from the same commit. The dependencies on stacks outside this
# environment (orchestration, the other half of a hybrid pair) are read from
# their remote state, so they need not be part of this deploy.
for i in "${!stacks[@]}"; do
  stack="${stacks[$i]}"
  echo "::group::deploy $stack"
  if ! npx --no-install cdktf deploy "$stack" --auto-approve --ignore-missing-stack-dependencies --skip-synth; then
    echo "::endgroup::"
    remaining=("${stacks[@]:$((i + 1))}")
    echo "error: deploying $stack failed and may have applied part of its changes; not started: ${remaining[*]:-none}" >&2
    exit 1
  fi
  echo "::endgroup::"
done
echo "deployed every stack of $env_name"
