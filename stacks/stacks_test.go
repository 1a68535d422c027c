package stacks

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/environments"
	"github.com/honeyhive/platform/internal/golden"
	"github.com/honeyhive/platform/internal/jsiiruntime"
)

var update = flag.Bool("update", false, "rewrite __snapshots__/ from the synthesized stacks")

const snapshotDir = "../__snapshots__"

// synthesized is every stack of the bundled environments, synthesized once
// per test binary: starting jsii and loading the AWS provider costs seconds,
// so the snapshot and stack tests share one app.
type synthesized struct {
	built []Built
	raw   map[string][]byte
	docs  map[string]map[string]any
}

var (
	allOnce  sync.Once
	all      synthesized
	allErr   error
	synthDir string
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	jsiiruntime.Close()
	if synthDir != "" {
		os.RemoveAll(synthDir)
	}
	os.Exit(code)
}

func synthAll(t *testing.T) synthesized {
	t.Helper()
	allOnce.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				allErr = fmt.Errorf("synth panicked: %v", r)
			}
		}()

		synthDir, allErr = os.MkdirTemp("", "stacks-test-")
		if allErr != nil {
			return
		}
		app := cdktf.Testing_App(&cdktf.TestingAppConfig{
			Outdir:      jsii.String(synthDir),
			StackTraces: jsii.Bool(false),
			StubVersion: jsii.Bool(true),
		})
		all.built = Build(app, environments.All(), Selection{}, Options{})
		app.Synth()

		all.raw = map[string][]byte{}
		all.docs = map[string]map[string]any{}
		for _, b := range all.built {
			data, err := os.ReadFile(filepath.Join(synthDir, "stacks", b.Name, "cdk.tf.json"))
			if err != nil {
				allErr = err
				return
			}
			var doc map[string]any
			if err := json.Unmarshal(data, &doc); err != nil {
				allErr = err
				return
			}
			all.raw[b.Name] = data
			all.docs[b.Name] = doc
		}
	})
	require.NoError(t, allErr)
	return all
}

// TestSnapshots compares every synthesized stack with its reviewed snapshot.
// Run `make snapshots` (go test ./stacks -run TestSnapshots -update) after an
// intended change, then review the diff of __snapshots__/ like code.
func TestSnapshots(t *testing.T) {
	s := synthAll(t)

	names := map[string]bool{}
	for _, b := range s.built {
		names[b.Name] = true
		path := filepath.Join(snapshotDir, b.Name+".json")

		if *update {
			require.NoError(t, golden.Write(path, s.raw[b.Name]))
			continue
		}
		t.Run(b.Name, func(t *testing.T) {
			report, err := golden.Compare(path, s.raw[b.Name])
			require.NoError(t, err)
			if report != "" {
				t.Errorf("%s\nIf the change is intended, run `make snapshots` and review the diff.", report)
			}
		})
	}

	// A snapshot without a stack is a stack that disappeared: its resources
	// would be destroyed, so that too must be a reviewed change.
	files, err := filepath.Glob(filepath.Join(snapshotDir, "*.json"))
	require.NoError(t, err)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		if names[name] {
			continue
		}
		if *update {
			require.NoError(t, os.Remove(f))
			continue
		}
		t.Errorf("snapshot %s has no stack any more; if the stack was removed on purpose, run `make snapshots`", f)
	}
}

func TestStackNames(t *testing.T) {
	s := synthAll(t)

	var names []string
	for _, b := range s.built {
		names = append(names, b.Name)
	}
	assert.Equal(t, []string{
		"orchestration-bootstrap",
		"orchestration",
		"test-global",
		"test-usw2-substrate",
		"test-usw2-hosting",
		"test-usw2-application",
		"stage-global",
		"stage-usw2-substrate",
		"stage-usw2-hosting",
		"stage-use1-substrate",
		"stage-use1-hosting",
		"stage-use1-application",
		"stage-usw2-application",
		"prod-global",
		"prod-usw2-substrate",
		"prod-usw2-hosting",
		"prod-use1-substrate",
		"prod-use1-hosting",
		"prod-use1-application",
		"prod-usw2-application",
		"prod-euw1-substrate",
		"prod-euw1-hosting",
		"prod-euw1-application",
		"acme-global",
		"acme-usw2-substrate",
		"acme-usw2-hosting",
		"acme-usw2-application",
		"globex-cp-global",
		"globex-cp-usw2-substrate",
		"globex-cp-usw2-hosting",
		"globex-global",
		"globex-usw2-substrate",
		"globex-usw2-hosting",
		// Each half of the hybrid pair reads the other's hosting stack.
		"globex-cp-usw2-application",
		"globex-usw2-application",
	}, names)
}

func TestEveryStackHasAnEncryptedS3Backend(t *testing.T) {
	s := synthAll(t)

	for _, b := range s.built {
		t.Run(b.Name, func(t *testing.T) {
			backend := dig(t, s.docs[b.Name], "terraform", "backend", "s3")

			assert.Equal(t, "honeyhive-tfstate-100000000001-"+b.Region, backend["bucket"], "state bucket of the stack's own region")
			assert.Equal(t, b.Environment+"/"+b.Region+"/"+b.Layer+"/terraform.tfstate", backend["key"], "Terragrunt key layout")
			assert.Equal(t, b.Region, backend["region"])
			assert.Equal(t, true, backend["encrypt"])
			assert.Equal(t, "arn:aws:kms:"+b.Region+":100000000001:alias/honeyhive-tfstate", backend["kms_key_id"])
			assert.Equal(t, "honeyhive-tfstate-lock", backend["dynamodb_table"])

			role, _ := backend["assume_role"].(map[string]any)
			wantRole := "arn:aws:iam::100000000001:role/terraform-state-" + b.Environment
			if b.Layer == LayerBootstrap || b.Layer == LayerOrchestration {
				wantRole = "arn:aws:iam::100000000001:role/platform-deploy"
			}
			assert.Equal(t, wantRole, role["role_arn"], "each environment reaches state through its own role")
		})
	}
}

func TestStateKeysAreUnique(t *testing.T) {
	s := synthAll(t)

	seen := map[string]string{}
	for _, b := range s.built {
		backend := dig(t, s.docs[b.Name], "terraform", "backend", "s3")
		key := fmt.Sprint(backend["bucket"], "/", backend["key"])
		if other, dup := seen[key]; dup {
			t.Errorf("stacks %s and %s share the state object %s", other, b.Name, key)
		}
		seen[key] = b.Name
	}
}

func TestAWSProviderAssumesTargetRoleAndTags(t *testing.T) {
	s := synthAll(t)
	type target struct{ account, role, externalID string }
	targets := map[string]target{
		"orchestration": {"100000000001", "platform-deploy", ""},
		"test":          {"100000000002", "platform-deploy", ""},
		"stage":         {"100000000003", "platform-deploy", ""},
		"prod":          {"100000000004", "platform-deploy", ""},
		"globex-cp":     {"100000000005", "platform-deploy", ""},
		// The customers' accounts, entered through the role each customer
		// created, with the external ID agreed with it.
		"acme":   {"200000000001", "honeyhive-deploy", "honeyhive-acme-deploy-4c1e9a"},
		"globex": {"200000000002", "honeyhive-deploy", "honeyhive-globex-deploy-e05f3b"},
	}

	for _, b := range s.built {
		t.Run(b.Name, func(t *testing.T) {
			doc := s.docs[b.Name]
			aws := defaultProvider(t, doc, "aws")
			want, ok := targets[b.Environment]
			require.True(t, ok, "no expected account for %s", b.Environment)

			assert.Equal(t, b.Region, aws["region"])
			assert.Equal(t, []any{want.account}, aws["allowed_account_ids"])

			roles, _ := aws["assume_role"].([]any)
			require.Len(t, roles, 1)
			role, _ := roles[0].(map[string]any)
			assert.Equal(t, "arn:aws:iam::"+want.account+":role/"+want.role, role["role_arn"])
			if want.externalID == "" {
				assert.NotContains(t, role, "external_id")
			} else {
				assert.Equal(t, want.externalID, role["external_id"])
			}

			tagBlocks, _ := aws["default_tags"].([]any)
			require.Len(t, tagBlocks, 1)
			tags, _ := tagBlocks[0].(map[string]any)["tags"].(map[string]any)
			assert.Equal(t, b.Environment, tags["environment"])
			assert.Equal(t, b.Layer, tags["layer"])
			assert.Equal(t, b.Region, tags["region"])
			assert.Equal(t, "cdktf", tags["managed-by"])
			assert.NotEmpty(t, tags["cost-centre"])
		})
	}
}

func TestProviderSourcesAreQualifiedAndPinned(t *testing.T) {
	s := synthAll(t)

	for _, b := range s.built {
		t.Run(b.Name, func(t *testing.T) {
			required := dig(t, s.docs[b.Name], "terraform", "required_providers")
			for name, v := range required {
				p, _ := v.(map[string]any)
				source, _ := p["source"].(string)
				assert.Containsf(t, source, "/", "provider %s has the unqualified source %q", name, source)
				version, _ := p["version"].(string)
				assert.Regexpf(t, `^\d+\.\d+\.\d+$`, version, "provider %s is not pinned to an exact version", name)
			}
			aws, _ := required["aws"].(map[string]any)
			assert.Equal(t, "hashicorp/aws", aws["source"])
		})
	}
}

func TestSubstrateNetworkShapeFollowsEnvironment(t *testing.T) {
	s := synthAll(t)
	cases := []struct {
		stack   string
		subnets int
		nats    int
	}{
		{"test-usw2-substrate", 8, 1},
		{"stage-usw2-substrate", 12, 3},
		{"prod-euw1-substrate", 12, 3},
	}
	for _, c := range cases {
		t.Run(c.stack, func(t *testing.T) {
			doc := s.docs[c.stack]
			assert.Len(t, resources(doc, "aws_subnet"), c.subnets)
			assert.Len(t, resources(doc, "aws_nat_gateway"), c.nats)
			assert.Len(t, resources(doc, "aws_vpc"), 1)
			assert.Len(t, resources(doc, "aws_route53_zone"), 1)
			assert.Len(t, resources(doc, "aws_kms_key"), 4, "one key per purpose")
		})
	}
}

func TestSubstrateOutputsForLaterLayers(t *testing.T) {
	s := synthAll(t)
	outputs, _ := s.docs["prod-usw2-substrate"]["output"].(map[string]any)

	for _, name := range []string{
		"vpc_id", "public_subnet_ids", "private_subnet_ids", "intra_subnet_ids", "database_subnet_ids",
		"database_subnet_group_name", "private_zone_id", "endpoint_security_group_id",
		"kms_logs_key_arn", "kms_cluster_key_arn", "kms_data_key_arn", "kms_secrets_key_arn",
		"twingate_security_group_id",
	} {
		assert.Containsf(t, outputs, name, "output %s", name)
	}
}

func TestBootstrapCoversEveryStateRegion(t *testing.T) {
	s := synthAll(t)
	doc := s.docs["orchestration-bootstrap"]

	buckets := resources(doc, "aws_s3_bucket")
	var names []string
	for _, b := range buckets {
		names = append(names, fmt.Sprint(b["bucket"]))
	}
	sort.Strings(names)
	assert.Equal(t, []string{
		"honeyhive-tfstate-100000000001-eu-west-1",
		"honeyhive-tfstate-100000000001-us-east-1",
		"honeyhive-tfstate-100000000001-us-west-2",
	}, names)
	assert.Len(t, resources(doc, "aws_dynamodb_table"), 3)

	providers, _ := doc["provider"].(map[string]any)["aws"].([]any)
	aliases := map[string]string{}
	for _, p := range providers {
		m, _ := p.(map[string]any)
		alias, _ := m["alias"].(string)
		aliases[alias] = fmt.Sprint(m["region"])
	}
	assert.Equal(t, map[string]string{"": "us-west-2", "use1": "us-east-1", "euw1": "eu-west-1"}, aliases)
}

func TestBootstrapLocalStateOption(t *testing.T) {
	app := cdktf.Testing_App(&cdktf.TestingAppConfig{Outdir: jsii.String(t.TempDir())})
	envs := []environments.Environment{environments.Test().WithDefaults()}
	Build(app, envs, Selection{Layers: []string{LayerBootstrap}}, Options{BootstrapLocalState: true})

	stack := app.Node().FindChild(jsii.String("orchestration-bootstrap")).(cdktf.TerraformStack)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(*cdktf.Testing_Synth(stack, jsii.Bool(false))), &doc))

	backends := dig(t, doc, "terraform", "backend")
	assert.Contains(t, backends, "local")
	assert.NotContains(t, backends, "s3")
}

func dig(t *testing.T, doc map[string]any, keys ...string) map[string]any {
	t.Helper()
	cur := doc
	for _, k := range keys {
		next, ok := cur[k].(map[string]any)
		require.Truef(t, ok, "missing %s", strings.Join(keys, "."))
		cur = next
	}
	return cur
}

func resources(doc map[string]any, typ string) map[string]map[string]any {
	result := map[string]map[string]any{}
	byType, _ := doc["resource"].(map[string]any)
	byName, _ := byType[typ].(map[string]any)
	for name, r := range byName {
		result[name], _ = r.(map[string]any)
	}
	return result
}

func defaultProvider(t *testing.T, doc map[string]any, name string) map[string]any {
	t.Helper()
	list, _ := dig(t, doc, "provider")[name].([]any)
	for _, p := range list {
		m, _ := p.(map[string]any)
		if _, aliased := m["alias"]; !aliased {
			return m
		}
	}
	require.Failf(t, "no default provider", "provider %s has no block without an alias", name)
	return nil
}
