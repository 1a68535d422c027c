package data

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

const (
	testClusterName  = "prod-usw2-platform"
	testEKSGroup     = "sg-0123456789abcdef0"
	testBastionGroup = "sg-0fedcba9876543210"
)

func testDatabaseConfig() DatabaseConfig {
	return DatabaseConfig{
		Name:                    testClusterName,
		InstanceClass:           "db.r7g.large",
		Instances:               2,
		SubnetGroupName:         jsii.String("prod-usw2-database"),
		VPCID:                   jsii.String("vpc-0123456789abcdef0"),
		AllowedSecurityGroupIDs: []*string{jsii.String(testEKSGroup)},
		KMSKeyARN:               jsii.String(testDataKey),
		SecretsKMSKeyARN:        jsii.String(testSecrets),
		LogsKMSKeyARN:           jsii.String(testLogsKey),
		LogRetentionDays:        365,
		BackupRetentionDays:     35,
		AccountID:               testAccount,
		Region:                  testRegion,
	}
}

func TestDatabaseResources(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testDatabaseConfig()
	cfg.AllowedSecurityGroupIDs = []*string{jsii.String(testEKSGroup), jsii.String(testBastionGroup)}
	db := NewDatabase(stack, "database", cfg)
	for name, value := range map[string]*string{
		"cluster_arn": db.ClusterARN,
		"endpoint":    db.Endpoint,
		"reader":      db.ReaderEndpoint,
		"secret_arn":  db.MasterUserSecretARN,
		"sg_id":       db.SecurityGroupID,
		"connect_arn": db.ConnectARN("events_writer"),
		"resource_id": db.ClusterResourceID,
	} {
		cdktf.NewTerraformOutput(stack, jsii.String(name), &cdktf.TerraformOutputConfig{Value: value})
	}
	doc := synthtest.Synth(t, stack)

	const groupRef = "${aws_security_group.database_security_group.id}"
	const clusterRef = "${aws_rds_cluster.database_cluster.id}"

	t.Run("security group", func(t *testing.T) {
		group := doc.Resource(t, "aws_security_group", "database_security_group")
		assert.Equal(t, "prod-usw2-platform-aurora", group["name"])
		assert.Equal(t, "vpc-0123456789abcdef0", group["vpc_id"])
		assert.NotContains(t, group, "ingress", "rules are separate resources")
		assert.NotContains(t, group, "egress", "rules are separate resources")
	})

	t.Run("ingress only from allowed groups", func(t *testing.T) {
		rules := doc.Resources("aws_vpc_security_group_ingress_rule")
		require.Len(t, rules, 2)
		for i, source := range []string{testEKSGroup, testBastionGroup} {
			rule := doc.Resource(t, "aws_vpc_security_group_ingress_rule", fmt.Sprintf("database_ingress_%d", i))
			assert.Equal(t, groupRef, rule["security_group_id"])
			assert.Equal(t, source, rule["referenced_security_group_id"])
			assert.Equal(t, "tcp", rule["ip_protocol"])
			assert.EqualValues(t, 5432, rule["from_port"])
			assert.EqualValues(t, 5432, rule["to_port"])
			assert.NotContains(t, rule, "cidr_ipv4")
			assert.NotContains(t, rule, "cidr_ipv6")
			assert.NotContains(t, rule, "prefix_list_id")
		}
		assert.Empty(t, doc.Resources("aws_vpc_security_group_egress_rule"), "the database needs no egress rule")
		assert.Empty(t, doc.Resources("aws_security_group_rule"))
	})

	t.Run("no open CIDR anywhere", func(t *testing.T) {
		raw, err := json.Marshal(doc)
		require.NoError(t, err)
		assert.NotContains(t, string(raw), "0.0.0.0/0")
		assert.NotContains(t, string(raw), "::/0")
	})

	t.Run("log group", func(t *testing.T) {
		logGroup := doc.Resource(t, "aws_cloudwatch_log_group", "database_log_group")
		assert.Equal(t, "/aws/rds/cluster/prod-usw2-platform/postgresql", logGroup["name"])
		assert.Equal(t, testLogsKey, logGroup["kms_key_id"])
		assert.EqualValues(t, 365, logGroup["retention_in_days"])
		assert.Equal(t, preventDestroy, logGroup["lifecycle"])
		assert.Equal(t, "/aws/rds/cluster/prod-usw2-platform/postgresql", db.LogGroupName)
	})

	t.Run("parameter group", func(t *testing.T) {
		group := doc.Resource(t, "aws_rds_cluster_parameter_group", "database_parameter_group")
		assert.Equal(t, "aurora-postgresql16", group["family"])
		assert.Equal(t, "prod-usw2-platform-aurora-postgresql16", group["name"])

		values := map[string]any{}
		for _, p := range group["parameter"].([]any) {
			parameter := p.(map[string]any)
			values[parameter["name"].(string)] = parameter["value"]
		}
		assert.Equal(t, "1", values["rds.force_ssl"], "connections without TLS are rejected")
		assert.Equal(t, "1000", values["log_min_duration_statement"])
		assert.Equal(t, "1", values["log_connections"])
		assert.Len(t, values, 3)
	})

	cluster := doc.Resource(t, "aws_rds_cluster", "database_cluster")

	t.Run("cluster engine", func(t *testing.T) {
		assert.Equal(t, testClusterName, cluster["cluster_identifier"])
		assert.Equal(t, "aurora-postgresql", cluster["engine"])
		assert.Equal(t, "provisioned", cluster["engine_mode"])
		assert.Equal(t, "16.10", cluster["engine_version"])
		assert.Equal(t, "platform", cluster["database_name"])
		assert.EqualValues(t, 5432, cluster["port"])
		assert.Equal(t, "${aws_rds_cluster_parameter_group.database_parameter_group.name}", cluster["db_cluster_parameter_group_name"])
	})

	t.Run("cluster encryption", func(t *testing.T) {
		assert.Equal(t, true, cluster["storage_encrypted"])
		assert.Equal(t, testDataKey, cluster["kms_key_id"])
	})

	t.Run("cluster managed password", func(t *testing.T) {
		assert.Equal(t, "platform_admin", cluster["master_username"])
		assert.Equal(t, true, cluster["manage_master_user_password"])
		assert.Equal(t, testSecrets, cluster["master_user_secret_kms_key_id"])
		assert.NotContains(t, cluster, "master_password", "no password passes through Terraform")
		assert.Equal(t, "${aws_rds_cluster.database_cluster.master_user_secret[0].secret_arn}", doc.Outputs()["secret_arn"]["value"])
	})

	t.Run("cluster network", func(t *testing.T) {
		assert.Equal(t, "prod-usw2-database", cluster["db_subnet_group_name"])
		assert.Equal(t, []any{groupRef}, cluster["vpc_security_group_ids"])
		assert.Equal(t, true, cluster["iam_database_authentication_enabled"])
	})

	t.Run("cluster backups and protection", func(t *testing.T) {
		assert.EqualValues(t, 35, cluster["backup_retention_period"], "point-in-time recovery window")
		assert.Equal(t, "08:00-09:00", cluster["preferred_backup_window"])
		assert.Equal(t, "sun:10:00-sun:11:00", cluster["preferred_maintenance_window"])
		assert.Equal(t, true, cluster["copy_tags_to_snapshot"])
		assert.Equal(t, true, cluster["deletion_protection"])
		assert.Equal(t, false, cluster["skip_final_snapshot"])
		assert.Equal(t, "prod-usw2-platform-final", cluster["final_snapshot_identifier"])
		assert.Equal(t, false, cluster["delete_automated_backups"])
		assert.Equal(t, preventDestroy, cluster["lifecycle"])
		assert.Equal(t, false, cluster["apply_immediately"])
	})

	t.Run("cluster logs after log group", func(t *testing.T) {
		assert.Equal(t, []any{"postgresql"}, cluster["enabled_cloudwatch_logs_exports"])
		assert.Equal(t, []any{"aws_cloudwatch_log_group.database_log_group"}, cluster["depends_on"],
			"the log group must exist before RDS exports to it")
	})

	t.Run("instances", func(t *testing.T) {
		instances := doc.Resources("aws_rds_cluster_instance")
		require.Len(t, instances, 2)
		for i := range 2 {
			instance := doc.Resource(t, "aws_rds_cluster_instance", fmt.Sprintf("database_instance_%d", i))
			assert.Equal(t, fmt.Sprintf("prod-usw2-platform-%d", i), instance["identifier"])
			assert.Equal(t, clusterRef, instance["cluster_identifier"])
			assert.Equal(t, "aurora-postgresql", instance["engine"])
			assert.Equal(t, "db.r7g.large", instance["instance_class"])
			assert.Equal(t, "prod-usw2-database", instance["db_subnet_group_name"])
			assert.Equal(t, false, instance["publicly_accessible"])
			assert.Equal(t, "rds-ca-rsa2048-g1", instance["ca_cert_identifier"])
			assert.EqualValues(t, i, instance["promotion_tier"])
			assert.Equal(t, true, instance["performance_insights_enabled"])
			assert.Equal(t, testDataKey, instance["performance_insights_kms_key_id"])
			assert.EqualValues(t, 7, instance["performance_insights_retention_period"])
			assert.Equal(t, true, instance["auto_minor_version_upgrade"])
			assert.Equal(t, false, instance["apply_immediately"])
			assert.Equal(t, "sun:10:00-sun:11:00", instance["preferred_maintenance_window"])
			assert.NotContains(t, instance, "availability_zone", "RDS chooses zones unless AvailabilityZones is set")
		}
	})

	t.Run("outputs", func(t *testing.T) {
		outputs := doc.Outputs()
		assert.Equal(t, "${aws_rds_cluster.database_cluster.arn}", outputs["cluster_arn"]["value"])
		assert.Equal(t, "${aws_rds_cluster.database_cluster.endpoint}", outputs["endpoint"]["value"])
		assert.Equal(t, "${aws_rds_cluster.database_cluster.reader_endpoint}", outputs["reader"]["value"])
		assert.Equal(t, groupRef, outputs["sg_id"]["value"])
		assert.Equal(t, "${aws_rds_cluster.database_cluster.cluster_resource_id}", outputs["resource_id"]["value"])
		assert.Equal(t, "arn:aws:rds-db:us-west-2:111122223333:dbuser:${aws_rds_cluster.database_cluster.cluster_resource_id}/events_writer", outputs["connect_arn"]["value"])
		assert.Equal(t, 5432, db.Port)
		assert.Equal(t, testClusterName, db.ClusterIdentifier)
		assert.Equal(t, "platform", db.DatabaseName)
		assert.Equal(t, "platform_admin", db.MasterUsername)
	})
}

func TestDatabaseInstanceCount(t *testing.T) {
	stack := synthtest.Stack(t)
	for _, count := range []int{1, 3, 15} {
		cfg := testDatabaseConfig()
		cfg.Name = fmt.Sprintf("test-usw2-db%d", count)
		cfg.Instances = count
		NewDatabase(stack, fmt.Sprintf("db%d", count), cfg)
	}

	zoned := testDatabaseConfig()
	zoned.Name = "test-usw2-zoned"
	zoned.Instances = 3
	zoned.AvailabilityZones = []string{"us-west-2a", "us-west-2b"}
	NewDatabase(stack, "zoned", zoned)

	doc := synthtest.Synth(t, stack)
	instances := doc.Resources("aws_rds_cluster_instance")

	for _, count := range []int{1, 3, 15} {
		t.Run(fmt.Sprintf("%d instances", count), func(t *testing.T) {
			prefix := fmt.Sprintf("db%d_instance_", count)
			found := 0
			for name := range instances {
				if strings.HasPrefix(name, prefix) {
					found++
				}
			}
			assert.Equal(t, count, found)
			last := doc.Resource(t, "aws_rds_cluster_instance", fmt.Sprintf("%s%d", prefix, count-1))
			assert.EqualValues(t, min(count-1, 15), last["promotion_tier"])
		})
	}

	t.Run("zones alternate", func(t *testing.T) {
		for i, zone := range []string{"us-west-2a", "us-west-2b", "us-west-2a"} {
			instance := doc.Resource(t, "aws_rds_cluster_instance", fmt.Sprintf("zoned_instance_%d", i))
			assert.Equalf(t, zone, instance["availability_zone"], "instance %d", i)
		}
	})
}

func TestDatabaseCustomSettings(t *testing.T) {
	stack := synthtest.Stack(t)
	other := securitygroup.NewSecurityGroup(stack, jsii.String("cluster_sg"), &securitygroup.SecurityGroupConfig{})
	cfg := testDatabaseConfig()
	cfg.AllowedSecurityGroupIDs = []*string{other.Id()}
	cfg.EngineVersion = "16.6"
	cfg.DatabaseName = "honeyhive"
	cfg.BackupRetentionDays = 7
	cfg.BackupWindow = "23:30-00:30"
	cfg.MaintenanceWindow = "sat:02:00-sat:03:00"
	NewDatabase(stack, "database", cfg)
	doc := synthtest.Synth(t, stack)

	cluster := doc.Resource(t, "aws_rds_cluster", "database_cluster")
	assert.Equal(t, "16.6", cluster["engine_version"])
	assert.Equal(t, "honeyhive", cluster["database_name"])
	assert.EqualValues(t, 7, cluster["backup_retention_period"])
	assert.Equal(t, "23:30-00:30", cluster["preferred_backup_window"])
	assert.Equal(t, "sat:02:00-sat:03:00", cluster["preferred_maintenance_window"])

	rule := doc.Resource(t, "aws_vpc_security_group_ingress_rule", "database_ingress_0")
	assert.Equal(t, "${aws_security_group.cluster_sg.id}", rule["referenced_security_group_id"])
}

func TestDatabaseConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*DatabaseConfig)
		want   string
	}{
		{"missing name", func(c *DatabaseConfig) { c.Name = "" }, "DatabaseConfig.Name is missing"},
		{"uppercase name", func(c *DatabaseConfig) { c.Name = "Prod-platform" }, `"Prod-platform" is not a valid cluster identifier`},
		{"name starts with digit", func(c *DatabaseConfig) { c.Name = "1-platform" }, `"1-platform" is not a valid cluster identifier`},
		{"name with double hyphen", func(c *DatabaseConfig) { c.Name = "prod--platform" }, `"prod--platform" is not a valid cluster identifier`},
		{"name ends with hyphen", func(c *DatabaseConfig) { c.Name = "platform-" }, `"platform-" is not a valid cluster identifier`},
		{"name with underscore", func(c *DatabaseConfig) { c.Name = "prod_platform" }, `"prod_platform" is not a valid cluster identifier`},
		{"name too long", func(c *DatabaseConfig) { c.Name = "p" + strings.Repeat("a", 60) }, "is 61 characters long; use at most 60"},
		{"engine version 15", func(c *DatabaseConfig) { c.EngineVersion = "15.8" }, `EngineVersion: "15.8" is not an Aurora PostgreSQL 16 version`},
		{"engine version major only", func(c *DatabaseConfig) { c.EngineVersion = "16" }, `EngineVersion: "16" is not an Aurora PostgreSQL 16 version`},
		{"missing instance class", func(c *DatabaseConfig) { c.InstanceClass = "" }, `InstanceClass: "" is not an RDS instance class`},
		{"instance class without prefix", func(c *DatabaseConfig) { c.InstanceClass = "r7g.large" }, `InstanceClass: "r7g.large" is not an RDS instance class`},
		{"serverless instance class", func(c *DatabaseConfig) { c.InstanceClass = "db.serverless" }, `"db.serverless" is not supported`},
		{"zero instances", func(c *DatabaseConfig) { c.Instances = 0 }, "DatabaseConfig.Instances: 0 is out of range"},
		{"sixteen instances", func(c *DatabaseConfig) { c.Instances = 16 }, "DatabaseConfig.Instances: 16 is out of range"},
		{"database name with hyphen", func(c *DatabaseConfig) { c.DatabaseName = "honey-hive" }, `DatabaseName: "honey-hive" is invalid`},
		{"missing subnet group", func(c *DatabaseConfig) { c.SubnetGroupName = nil }, "DatabaseConfig.SubnetGroupName is missing"},
		{"missing VPC", func(c *DatabaseConfig) { c.VPCID = jsii.String("") }, "DatabaseConfig.VPCID is missing"},
		{"missing security groups", func(c *DatabaseConfig) { c.AllowedSecurityGroupIDs = nil }, "AllowedSecurityGroupIDs is empty"},
		{"nil security group", func(c *DatabaseConfig) { c.AllowedSecurityGroupIDs = []*string{nil} }, "AllowedSecurityGroupIDs[0] is empty"},
		{"CIDR as security group", func(c *DatabaseConfig) {
			c.AllowedSecurityGroupIDs = []*string{jsii.String("0.0.0.0/0")}
		}, `AllowedSecurityGroupIDs[0]: "0.0.0.0/0" is not a security group ID`},
		{"security group twice", func(c *DatabaseConfig) {
			c.AllowedSecurityGroupIDs = []*string{jsii.String(testEKSGroup), jsii.String(testEKSGroup)}
		}, `AllowedSecurityGroupIDs[1]: "sg-0123456789abcdef0" is listed twice`},
		{"missing data key", func(c *DatabaseConfig) { c.KMSKeyARN = nil }, "DatabaseConfig.KMSKeyARN is missing"},
		{"missing secrets key", func(c *DatabaseConfig) { c.SecretsKMSKeyARN = nil }, "DatabaseConfig.SecretsKMSKeyARN is missing"},
		{"missing logs key", func(c *DatabaseConfig) { c.LogsKMSKeyARN = nil }, "DatabaseConfig.LogsKMSKeyARN is missing"},
		{"key ID instead of ARN", func(c *DatabaseConfig) {
			c.KMSKeyARN = jsii.String("0b1c2d3e-0000-4000-8000-000000000001")
		}, `DatabaseConfig.KMSKeyARN: "0b1c2d3e-0000-4000-8000-000000000001" is not a KMS key ARN`},
		{"missing log retention", func(c *DatabaseConfig) { c.LogRetentionDays = 0 }, "DatabaseConfig.LogRetentionDays is missing"},
		{"unsupported log retention", func(c *DatabaseConfig) { c.LogRetentionDays = 100 }, "LogRetentionDays: 100 days is not a retention period"},
		{"backup retention 0", func(c *DatabaseConfig) { c.BackupRetentionDays = 0 }, "BackupRetentionDays: 0 is out of range"},
		{"backup retention 36", func(c *DatabaseConfig) { c.BackupRetentionDays = 36 }, "BackupRetentionDays: 36 is out of range"},
		{"bad backup window", func(c *DatabaseConfig) { c.BackupWindow = "8:00-9:00" }, `BackupWindow: "8:00-9:00" is invalid`},
		{"backup window hour 24", func(c *DatabaseConfig) { c.BackupWindow = "24:00-01:00" }, `BackupWindow: "24:00-01:00" is invalid`},
		{"short backup window", func(c *DatabaseConfig) { c.BackupWindow = "08:00-08:15" }, `BackupWindow: "08:00-08:15" is shorter than 30 minutes`},
		{"bad maintenance day", func(c *DatabaseConfig) { c.MaintenanceWindow = "sunday:10:00-sunday:11:00" }, `MaintenanceWindow: "sunday:10:00-sunday:11:00" is invalid`},
		{"unknown maintenance day", func(c *DatabaseConfig) { c.MaintenanceWindow = "son:10:00-son:11:00" }, `MaintenanceWindow: "son:10:00-son:11:00" is invalid`},
		{"short maintenance window", func(c *DatabaseConfig) { c.MaintenanceWindow = "sun:10:00-sun:10:10" }, "is shorter than 30 minutes"},
		{"windows overlap", func(c *DatabaseConfig) {
			c.BackupWindow = "10:30-11:30"
		}, `BackupWindow: "10:30-11:30" overlaps MaintenanceWindow "sun:10:00-sun:11:00"`},
		{"windows overlap across midnight", func(c *DatabaseConfig) {
			c.BackupWindow = "23:30-00:30"
			c.MaintenanceWindow = "sun:23:45-mon:00:45"
		}, "overlaps MaintenanceWindow"},
		{"bad account", func(c *DatabaseConfig) { c.AccountID = "" }, `DatabaseConfig.AccountID: "" is not a 12-digit AWS account ID`},
		{"missing region", func(c *DatabaseConfig) { c.Region = "" }, "DatabaseConfig.Region is missing"},
		{"unsupported partition", func(c *DatabaseConfig) { c.Partition = "aws-cn" }, `DatabaseConfig.Partition: "aws-cn" is not supported`},
		{"zone of another region", func(c *DatabaseConfig) { c.AvailabilityZones = []string{"us-east-1a"} }, `AvailabilityZones[0]: "us-east-1a" is not an availability zone of "us-west-2"`},
		{"zone ID", func(c *DatabaseConfig) { c.AvailabilityZones = []string{"usw2-az1"} }, `AvailabilityZones[0]: "usw2-az1" is not an availability zone`},
		{"zone twice", func(c *DatabaseConfig) { c.AvailabilityZones = []string{"us-west-2a", "us-west-2a"} }, `AvailabilityZones[1]: "us-west-2a" is listed twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testDatabaseConfig()
			tt.modify(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), tt.want)
		})
	}
}

func TestDatabaseConfigValidateAccepts(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*DatabaseConfig)
	}{
		{"defaults", func(*DatabaseConfig) {}},
		{"one instance", func(c *DatabaseConfig) { c.Instances = 1 }},
		{"fifteen instances", func(c *DatabaseConfig) { c.Instances = 15 }},
		{"backup retention 1", func(c *DatabaseConfig) { c.BackupRetentionDays = 1 }},
		{"name of 60 characters", func(c *DatabaseConfig) { c.Name = "p" + strings.Repeat("a", 59) }},
		{"short security group ID", func(c *DatabaseConfig) { c.AllowedSecurityGroupIDs = []*string{jsii.String("sg-0123abcd")} }},
		{"adjacent windows", func(c *DatabaseConfig) {
			c.BackupWindow = "09:00-10:00"
			c.MaintenanceWindow = "sun:10:00-sun:11:00"
		}},
		{"maintenance window across the week", func(c *DatabaseConfig) { c.MaintenanceWindow = "sun:23:30-mon:00:30" }},
		{"gov partition", func(c *DatabaseConfig) { c.Partition = "aws-us-gov" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testDatabaseConfig()
			tt.modify(&cfg)
			assert.NoError(t, cfg.withDefaults().Validate())
		})
	}

	t.Run("defaults are filled", func(t *testing.T) {
		cfg := testDatabaseConfig().withDefaults()
		assert.Equal(t, "aws", cfg.Partition)
		assert.Equal(t, DefaultEngineVersion, cfg.EngineVersion)
		assert.Equal(t, "platform", cfg.DatabaseName)
		assert.Equal(t, DefaultBackupWindow, cfg.BackupWindow)
		assert.Equal(t, DefaultMaintenanceWindow, cfg.MaintenanceWindow)
	})
}

func TestDatabaseConfigValidateReportsEveryProblem(t *testing.T) {
	err := DatabaseConfig{}.withDefaults().Validate()
	require.Error(t, err)
	for _, want := range []string{
		"DatabaseConfig.Name", "DatabaseConfig.InstanceClass", "DatabaseConfig.Instances",
		"DatabaseConfig.SubnetGroupName", "DatabaseConfig.VPCID", "DatabaseConfig.AllowedSecurityGroupIDs",
		"DatabaseConfig.KMSKeyARN", "DatabaseConfig.SecretsKMSKeyARN", "DatabaseConfig.LogsKMSKeyARN",
		"DatabaseConfig.LogRetentionDays", "DatabaseConfig.BackupRetentionDays", "DatabaseConfig.AccountID",
		"DatabaseConfig.Region",
	} {
		assert.ErrorContains(t, err, want)
	}
}

func TestNewDatabasePanics(t *testing.T) {
	cfg := testDatabaseConfig()
	cfg.BackupRetentionDays = 36
	stack := synthtest.Stack(t)
	assert.PanicsWithError(t, cfg.withDefaults().Validate().Error(), func() { NewDatabase(stack, "database", cfg) })
}

func TestWindowOverlap(t *testing.T) {
	tests := []struct {
		name             string
		a, aLen, b, bLen int
		want             bool
	}{
		{"disjoint", 0, 60, 120, 60, false},
		{"touching", 0, 60, 60, 60, false},
		{"overlapping", 0, 60, 30, 60, true},
		{"contained", 0, 120, 30, 10, true},
		{"across the period end", 10070, 20, 0, 30, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, overlaps(tt.a, tt.aLen, tt.b, tt.bLen, minutesPerWeek))
		})
	}
}
