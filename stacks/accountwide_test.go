package stacks

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOrchestrationTrustPoliciesArePinned(t *testing.T) {
	s := synthAll(t)
	roles := map[string]map[string]any{}
	for name, role := range resources(s.docs["orchestration"], "aws_iam_role") {
		if !strings.HasPrefix(name, "state_role_") {
			roles[name] = role
		}
	}
	want := map[string][]string{
		// Approved pull-request plans, and the scheduled drift check on main.
		"plan_role_role":         {"repo:honeyhive/platform-infra:environment:plan", "repo:honeyhive/platform-infra:ref:refs/heads/main"},
		"deploy_role_test_role":  {"repo:honeyhive/platform-infra:environment:test"},
		"deploy_role_stage_role": {"repo:honeyhive/platform-infra:environment:stage"},
		"deploy_role_prod_role":  {"repo:honeyhive/platform-infra:environment:prod"},
		"deploy_role_acme_role":  {"repo:honeyhive/platform-infra:environment:acme"},
		// Construct IDs use snake case; the GitHub environment keeps the
		// hyphen.
		"deploy_role_globex_cp_role": {"repo:honeyhive/platform-infra:environment:globex-cp"},
		"deploy_role_globex_role":    {"repo:honeyhive/platform-infra:environment:globex"},
	}
	require.Len(t, roles, len(want))

	for name, sub := range want {
		t.Run(name, func(t *testing.T) {
			role, ok := roles[name]
			require.True(t, ok)

			var trust struct {
				Statement []struct {
					Action    []string
					Condition map[string]map[string][]string
				}
			}
			require.NoError(t, json.Unmarshal([]byte(role["assume_role_policy"].(string)), &trust))
			require.Len(t, trust.Statement, 1)
			statement := trust.Statement[0]

			assert.Equal(t, []string{"sts:AssumeRoleWithWebIdentity"}, statement.Action)
			assert.Equal(t, []string{"StringEquals"}, keysOf(statement.Condition), "only exact matches")
			assert.Equal(t, []string{"sts.amazonaws.com"}, statement.Condition["StringEquals"]["token.actions.githubusercontent.com:aud"])
			assert.Equal(t, sub, statement.Condition["StringEquals"]["token.actions.githubusercontent.com:sub"])
			assert.NotContains(t, role["assume_role_policy"], "*", "no wildcard anywhere in the trust")
		})
	}
}

func TestCIDeployRolesAssumeOnlyTheirEnvironment(t *testing.T) {
	s := synthAll(t)
	policies := resources(s.docs["orchestration"], "aws_iam_role_policy")

	policy := policies["deploy_role_stage_policy"]
	require.NotNil(t, policy)
	var doc struct {
		Statement []struct {
			Sid      string
			Action   []string
			Resource []string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(policy["policy"].(string)), &doc))
	require.Len(t, doc.Statement, 3)
	assume := doc.Statement[0]
	assert.Equal(t, []string{"sts:AssumeRole", "sts:TagSession"}, assume.Action)
	assert.Equal(t, []string{
		"arn:aws:iam::100000000003:role/platform-deploy",
		"arn:aws:iam::100000000001:role/terraform-state-stage",
	}, assume.Resource, "stage's CI role reaches stage's account and stage's state, nothing else")
	assert.Equal(t, []string{"secretsmanager:GetSecretValue"}, doc.Statement[1].Action)
	assert.Equal(t, []string{"arn:aws:secretsmanager:us-west-2:100000000001:secret:platform/twingate-api-token-??????"}, doc.Statement[1].Resource)
	assert.Equal(t, []string{"kms:Decrypt"}, doc.Statement[2].Action)
}

func TestStateRolesReachOnlyTheirEnvironment(t *testing.T) {
	s := synthAll(t)
	policies := resources(s.docs["orchestration"], "aws_iam_role_policy")

	policy := policies["state_role_test_policy"]
	require.NotNil(t, policy)
	var doc struct {
		Statement []struct {
			Sid       string
			Resource  []string
			Condition map[string]map[string][]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(policy["policy"].(string)), &doc))

	for _, st := range doc.Statement {
		switch st.Sid {
		case "StateObjects":
			assert.Contains(t, st.Resource, "arn:aws:s3:::honeyhive-tfstate-100000000001-us-west-2/test/us-west-2/substrate/terraform.tfstate")
			for _, object := range st.Resource {
				assert.Contains(t, object, "/test/", "test's state role reaches only test's state objects")
			}

		case "StateLocks":
			for _, key := range st.Condition["ForAllValues:StringEquals"]["dynamodb:LeadingKeys"] {
				assert.Contains(t, key, "/test/", "and only test's lock entries")
			}
		}
	}

	role := resources(s.docs["orchestration"], "aws_iam_role")["state_role_test"]
	assert.Contains(t, role["assume_role_policy"], `"aws:PrincipalArn":["arn:aws:iam::100000000001:role/github-deploy-test","arn:aws:iam::100000000001:role/platform-deploy"]`)
	assert.NotContains(t, role["assume_role_policy"], "github-deploy-prod")
}

func TestGlobalDeployRoleTrustsOnlyItsCIRole(t *testing.T) {
	s := synthAll(t)
	role := resources(s.docs["prod-global"], "aws_iam_role")["deploy_role_role"]
	require.NotNil(t, role)

	trust := role["assume_role_policy"].(string)
	assert.Contains(t, trust, `"aws:PrincipalArn":["arn:aws:iam::100000000001:role/github-deploy-prod"]`)
	assert.NotContains(t, trust, "github-deploy-stage")
}

func TestGlobalBackupCopiesStayInJurisdiction(t *testing.T) {
	s := synthAll(t)
	plans := resources(s.docs["prod-global"], "aws_backup_plan")
	require.Len(t, plans, 3, "one plan per region")

	rule := func(name string) map[string]any {
		plan := plans[name]
		require.NotNil(t, plan, name)
		return plan["rule"].([]any)[0].(map[string]any)
	}
	primaryCopy := rule("backup_plan_usw2_plan")["copy_action"].([]any)[0].(map[string]any)
	assert.Contains(t, primaryCopy["destination_vault_arn"], "backup_vault_use1_vault", "the primary copies into the DR vault")
	assert.NotContains(t, rule("backup_plan_euw1_plan"), "copy_action", "EU backups stay in the EU")
	assert.NotContains(t, rule("backup_plan_use1_plan"), "copy_action")

	assert.Equal(t, "aws.euw1", plans["backup_plan_euw1_plan"]["provider"])
	assert.Equal(t, "aws.euw1", resources(s.docs["prod-global"], "aws_backup_vault")["backup_vault_euw1_vault"]["provider"])
}

func TestManifestOrdersAccountWideStacksFirst(t *testing.T) {
	s := synthAll(t)

	data, err := os.ReadFile(filepath.Join(synthDir, "manifest.json"))
	require.NoError(t, err)
	var manifest struct {
		Stacks map[string]struct {
			Dependencies []string `json:"dependencies"`
		} `json:"stacks"`
	}
	require.NoError(t, json.Unmarshal(data, &manifest))

	assert.Contains(t, manifest.Stacks["prod-global"].Dependencies, "orchestration")
	for _, b := range s.built {
		if b.Layer == LayerSubstrate {
			assert.Containsf(t, manifest.Stacks[b.Name].Dependencies, b.Environment+"-global", "%s follows its environment's global stack", b.Name)
		}
	}
}

func keysOf[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

func TestSharedSecretsReadableOnlyByNamedRoles(t *testing.T) {
	s := synthAll(t)
	policies := resources(s.docs["orchestration"], "aws_secretsmanager_secret_policy")
	require.Len(t, policies, 3)

	readers := func(name string) []string {
		policy := policies[name]
		require.NotNil(t, policy, name)
		var doc struct {
			Statement []struct {
				Condition map[string]map[string][]string
			}
		}
		require.NoError(t, json.Unmarshal([]byte(policy["policy"].(string)), &doc))
		require.Len(t, doc.Statement, 1)
		return doc.Statement[0].Condition["ArnEquals"]["aws:PrincipalArn"]
	}

	assert.Equal(t, []string{
		"arn:aws:iam::100000000001:role/github-plan",
		"arn:aws:iam::100000000001:role/github-deploy-test",
		"arn:aws:iam::100000000001:role/github-deploy-stage",
		"arn:aws:iam::100000000001:role/github-deploy-prod",
		"arn:aws:iam::100000000001:role/github-deploy-acme",
		"arn:aws:iam::100000000001:role/github-deploy-globex-cp",
		"arn:aws:iam::100000000001:role/github-deploy-globex",
	}, readers("shared_twingate_api_token_policy"), "only the CI roles read the Twingate token")

	operators := readers("shared_argocd_repository_policy")
	assert.Len(t, operators, 7, "one External Secrets role per cluster in HoneyHive's accounts")
	for _, arn := range operators {
		assert.NotContains(t, arn, ":200000000", "no role in a customer's account reads HoneyHive's secrets")
	}
	assert.Contains(t, operators, "arn:aws:iam::100000000004:role/prod-euw1-external-secrets")
	for _, arn := range operators {
		assert.NotContains(t, arn, "*")
	}
}

func TestBackupsSelectOnlyDataStores(t *testing.T) {
	s := synthAll(t)

	for name, selection := range resources(s.docs["prod-global"], "aws_backup_selection") {
		tags := selection["selection_tag"].([]any)[0].(map[string]any)
		assert.Equal(t, "backup", tags["key"], name)
		assert.Equal(t, "true", tags["value"], name)
	}

	cluster := resources(s.docs["prod-usw2-application"], "aws_rds_cluster")["database_cluster"]
	require.NotNil(t, cluster)
	assert.Equal(t, "true", cluster["tags"].(map[string]any)["backup"], "the database is backed up")

	vpc := resources(s.docs["prod-usw2-substrate"], "aws_vpc")["network_vpc"]
	assert.NotContains(t, vpc["tags"], "backup", "infrastructure without data is not")
}
