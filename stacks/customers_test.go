package stacks

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

// customerStacks are the stacks of the bundled deployments that run in a
// customer's account.
var customerStacks = []string{
	"acme-global", "acme-usw2-substrate", "acme-usw2-hosting", "acme-usw2-application",
	"globex-global", "globex-usw2-substrate", "globex-usw2-hosting", "globex-usw2-application",
}

func TestCustomerAccountsHaveNoPublicEntry(t *testing.T) {
	s := synthAll(t)

	for _, name := range customerStacks {
		t.Run(name, func(t *testing.T) {
			doc := s.docs[name]
			for _, typ := range []string{"aws_acm_certificate", "aws_route53_zone", "aws_internet_gateway", "aws_eip", "aws_nat_gateway"} {
				if typ == "aws_route53_zone" {
					for id, zone := range resources(doc, typ) {
						assert.NotEmptyf(t, zone["vpc"], "zone %s is private", id)
					}
					continue
				}
				if name == "globex-usw2-substrate" && typ != "aws_acm_certificate" {
					// The VPC the platform creates for Globex has NAT
					// gateways for egress; nothing in it is public.
					continue
				}
				assert.Emptyf(t, resources(doc, typ), "a customer's account gets no %s", typ)
			}
			for id, lb := range resources(doc, "aws_lb") {
				assert.Equalf(t, true, lb["internal"], "load balancer %s is internal", id)
			}
			data, _ := doc["data"].(map[string]any)
			assert.NotContains(t, data, "aws_route53_zone", "no public zone is looked up")
		})
	}

	hosting := s.docs["acme-usw2-hosting"]
	cluster := resources(hosting, "aws_eks_cluster")["eks_cluster"]
	vpc := cluster["vpc_config"].(map[string]any)
	assert.Equal(t, false, vpc["endpoint_public_access"], "the cluster API stays private")
}

func TestCustomerAccountGlobalStackIsNarrow(t *testing.T) {
	s := synthAll(t)
	doc := s.docs["acme-global"]

	for _, typ := range []string{"aws_cloudtrail", "aws_s3_account_public_access_block", "aws_ebs_encryption_by_default", "aws_accessanalyzer_analyzer"} {
		assert.Emptyf(t, resources(doc, typ), "the customer governs its account; no %s of ours", typ)
	}
	roles := resources(doc, "aws_iam_role")
	assert.NotContains(t, roles, "deploy_role_role", "the deploy role is the customer's")

	operator := roles["operator_access_role"]
	require.NotNil(t, operator)
	assert.Equal(t, "honeyhive-operator", operator["name"])
	var trust struct {
		Statement []struct {
			Principal map[string][]string
			Condition map[string]map[string][]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(operator["assume_role_policy"].(string)), &trust))
	require.Len(t, trust.Statement, 1)
	assert.Equal(t, []string{"arn:aws:iam::100000000001:role/platform-operator"}, trust.Statement[0].Principal["AWS"])
	assert.Equal(t, []string{"honeyhive-acme-operator-82b7d0"}, trust.Statement[0].Condition["StringEquals"]["sts:ExternalId"])

	stores := 0
	for _, release := range resources(s.docs["acme-usw2-hosting"], "helm_release") {
		values := fmt.Sprint(release["values"])
		if strings.Contains(values, "platform-shared") {
			stores++
		}
	}
	assert.Zero(t, stores, "a customer's cluster gets no store of HoneyHive's shared secrets")
	prodStore := fmt.Sprint(resources(s.docs["prod-usw2-hosting"], "helm_release")["external_secrets_shared_store_release"]["values"])
	assert.Contains(t, prodStore, "platform-shared", "HoneyHive's own clusters do get it")

	viewer := resources(s.docs["acme-usw2-hosting"], "aws_eks_access_entry")["eks_access_entry_viewer_0"]
	require.NotNil(t, viewer, "the operator role can view the cluster")
	assert.Equal(t, "arn:aws:iam::200000000001:role/honeyhive-operator", viewer["principal_arn"])
}

func TestCustomerVPCAndKeys(t *testing.T) {
	s := synthAll(t)
	substrate := s.docs["acme-usw2-substrate"]

	for _, typ := range []string{"aws_vpc", "aws_subnet", "aws_route_table", "aws_route", "aws_vpc_endpoint"} {
		assert.Emptyf(t, resources(substrate, typ), "Acme's VPC is Acme's: no %s is created", typ)
	}
	tags := resources(substrate, "aws_ec2_tag")
	discovery := 0
	for _, tag := range tags {
		if tag["key"] == "karpenter.sh/discovery" {
			discovery++
			assert.Equal(t, "acme-usw2", tag["value"])
		}
	}
	assert.Equal(t, 2, discovery, "both private subnets are tagged for Karpenter")

	keys := resources(substrate, "aws_kms_key")
	assert.Contains(t, keys, "kms_logs_key", "the logs key is created in Acme's account")
	assert.NotContains(t, keys, "kms_data_key", "the data key is Acme's own")

	const acmeDataKey = "arn:aws:kms:us-west-2:200000000001:key/3f6d2a10-8c4b-4e2a-9d1f-5b7c0e9a1d21"
	database := resources(s.docs["acme-usw2-application"], "aws_rds_cluster")["database_cluster"]
	require.NotNil(t, database)
	assert.Equal(t, acmeDataKey, database["kms_key_id"], "the database is encrypted with Acme's key")

	settings := tenantSettings(t, s.docs["acme-usw2-application"], "ingest")
	assert.Equal(t, "https://api.honeyhive.ai", settings["control-plane-endpoint"])
}

func TestHybridPairIsLinkedPrivately(t *testing.T) {
	s := synthAll(t)

	services := map[string]string{
		"globex-cp-usw2-hosting": "arn:aws:iam::200000000002:role/honeyhive-deploy",
		"globex-usw2-hosting":    "arn:aws:iam::100000000005:role/platform-deploy",
	}
	for stack, consumer := range services {
		service := resources(s.docs[stack], "aws_vpc_endpoint_service")["private_link_endpoint_service"]
		require.NotNil(t, service, stack)
		assert.Equal(t, []any{consumer}, service["allowed_principals"], "%s: only the other half's deploy role may connect", stack)
		lb := resources(s.docs[stack], "aws_lb")["private_link_load_balancer"]
		assert.Equal(t, true, lb["internal"], stack)
	}

	endpoint := resources(s.docs["globex-usw2-application"], "aws_vpc_endpoint")["private_link_globex_cp_endpoint"]
	require.NotNil(t, endpoint)
	assert.Equal(t, "Interface", endpoint["vpc_endpoint_type"])
	assert.Equal(t, "${data.terraform_remote_state.private_link_globex_cp_state.outputs.private_link_service_name}", endpoint["service_name"])

	state := dig(t, s.docs["globex-usw2-application"], "data", "terraform_remote_state", "private_link_globex_cp_state")
	config := state["config"].(map[string]any)
	assert.Equal(t, "globex-cp/us-west-2/hosting/terraform.tfstate", config["key"])
	assert.Equal(t, "arn:aws:iam::100000000001:role/terraform-state-globex", config["assume_role"].(map[string]any)["role_arn"],
		"the data plane reads the control plane's state with its own state role")

	settings := tenantSettings(t, s.docs["globex-usw2-application"], "ingest")
	assert.Equal(t, "https://control-plane.usw2.internal.globex.hybrid.honeyhive.ai", settings["control-plane-endpoint"])
	settings = tenantSettings(t, s.docs["globex-cp-usw2-application"], "api")
	assert.Equal(t, "https://data-plane-globex.usw2.internal.globex.honeyhive.ai", settings["data-plane-endpoint-globex"])

	data, err := os.ReadFile(filepath.Join(synthDir, "manifest.json"))
	require.NoError(t, err)
	var manifest struct {
		Stacks map[string]struct {
			Dependencies []string `json:"dependencies"`
		} `json:"stacks"`
	}
	require.NoError(t, json.Unmarshal(data, &manifest))
	assert.Contains(t, manifest.Stacks["globex-usw2-application"].Dependencies, "globex-cp-usw2-hosting")
	assert.Contains(t, manifest.Stacks["globex-cp-usw2-application"].Dependencies, "globex-usw2-hosting")
}

func TestStateRoleReadsOnlyTheLinkedHostingState(t *testing.T) {
	s := synthAll(t)
	policies := resources(s.docs["orchestration"], "aws_iam_role_policy")

	linked := func(env string) []string {
		var doc struct {
			Statement []struct {
				Sid      string
				Action   []string
				Resource []string
			}
		}
		require.NoError(t, json.Unmarshal([]byte(policies["state_role_"+snakeCase(env)+"_policy"]["policy"].(string)), &doc))
		for _, st := range doc.Statement {
			if st.Sid == "ReadLinkedState" {
				assert.Equal(t, []string{"s3:GetObject"}, st.Action, "%s: read only", env)
				return st.Resource
			}
		}
		return nil
	}
	assert.Equal(t, []string{"arn:aws:s3:::honeyhive-tfstate-100000000001-us-west-2/globex-cp/us-west-2/hosting/terraform.tfstate"}, linked("globex"))
	assert.Equal(t, []string{"arn:aws:s3:::honeyhive-tfstate-100000000001-us-west-2/globex/us-west-2/hosting/terraform.tfstate"}, linked("globex-cp"))
	for _, env := range []string{"test", "stage", "prod", "acme"} {
		assert.Nilf(t, linked(env), "%s has no hybrid pair, so reads no other state", env)
	}
}

// tenantSettings returns the data of the "platform" ConfigMap of tenant in
// an application stack.
func tenantSettings(t *testing.T, doc map[string]any, tenant string) map[string]any {
	t.Helper()
	release := resources(doc, "helm_release")["tenancy_manifests_release"]
	require.NotNil(t, release)
	manifests, _ := synthtest.HelmValues(t, release)["manifests"].([]any)
	for _, m := range manifests {
		object, _ := m.(map[string]any)
		meta, _ := object["metadata"].(map[string]any)
		if object["kind"] == "ConfigMap" && meta["namespace"] == tenant && meta["name"] == "platform" {
			data, _ := object["data"].(map[string]any)
			return data
		}
	}
	require.FailNow(t, "no settings ConfigMap", "tenant %s", tenant)
	return nil
}
