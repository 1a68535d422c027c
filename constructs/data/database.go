package data

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/rdscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/rdsclusterinstance"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/rdsclusterparametergroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// Defaults for DatabaseConfig.
const (
	// DefaultEngineVersion is the Aurora PostgreSQL version of new clusters.
	// AWS released Aurora PostgreSQL 16.10 together with 17.6, 15.14, 14.19
	// and 13.22.
	//
	// NOTE: RDS may upgrade the minor version automatically, and the pinned
	// AWS provider then plans a downgrade to this version, which RDS
	// rejects. After such an upgrade, raise EngineVersion to the version the
	// cluster runs. Whether RDS still offers 16.10 for new clusters was not
	// checked against the RDS API.
	DefaultEngineVersion = "16.10"

	// DefaultDatabaseName is the database created with the cluster.
	DefaultDatabaseName = "platform"

	// DefaultBackupWindow is when, in UTC, RDS takes the daily automated
	// snapshot. Aurora backs up continuously and the snapshot does not pause
	// I/O, so the window only has to avoid the maintenance window.
	DefaultBackupWindow = "08:00-09:00"

	// DefaultMaintenanceWindow is when, in UTC, RDS may apply pending
	// changes and minor version upgrades: early Sunday morning in the
	// Americas and around midday on Sunday in Europe.
	DefaultMaintenanceWindow = "sun:10:00-sun:11:00"
)

const (
	engine     = "aurora-postgresql"
	engineMode = "provisioned"

	// parameterGroupFamily must match the major version of EngineVersion,
	// which Validate enforces.
	parameterGroupFamily = "aurora-postgresql16"

	// masterUsername is the cluster's administrator. Its password never
	// appears in Terraform: RDS generates it and keeps it in Secrets Manager.
	masterUsername = "platform_admin"

	postgresPort = 5432

	// caCertificate is the certificate authority of the instances' server
	// certificates. It is the RDS default, set so that the plan shows it.
	caCertificate = "rds-ca-rsa2048-g1"

	// performanceInsightsRetentionDays is the retention that Performance
	// Insights includes at no extra charge.
	performanceInsightsRetentionDays = 7

	// maxPromotionTier is the highest tier RDS accepts, the lowest failover
	// priority.
	maxPromotionTier = 15
)

// DatabaseConfig configures NewDatabase.
type DatabaseConfig struct {
	// Name is the cluster identifier, for example "prod-usw2-platform". It
	// also names the instances ("<Name>-<i>"), the security group, the
	// parameter group, the log group and the final snapshot. Lowercase
	// letters, digits and single hyphens, starting with a letter, at most
	// 60 characters. Required.
	Name string

	// EngineVersion is the Aurora PostgreSQL 16 version, "16.<minor>".
	// Default: DefaultEngineVersion.
	EngineVersion string

	// InstanceClass is the class of every instance, for example
	// "db.r7g.large". Serverless v2 ("db.serverless") is not supported.
	// Required.
	InstanceClass string

	// Instances is the number of instances, 1 to 15: one writer and the rest
	// readers that can take over from it. Required.
	Instances int

	// DatabaseName is the database that RDS creates with the cluster.
	// Default: DefaultDatabaseName.
	DatabaseName string

	// SubnetGroupName is the DB subnet group of the database subnets, usually
	// a token of the network stack. Required.
	SubnetGroupName *string

	// VPCID is the VPC of the subnet group. Required.
	VPCID *string

	// AllowedSecurityGroupIDs are the only sources that may connect on the
	// PostgreSQL port, such as the EKS cluster security group. Required, at
	// least one.
	AllowedSecurityGroupIDs []*string

	// KMSKeyARN is the data key, which encrypts the cluster storage, its
	// snapshots and Performance Insights. Required.
	KMSKeyARN *string

	// SecretsKMSKeyARN is the Secrets Manager key, which encrypts the master
	// user secret. Required.
	SecretsKMSKeyARN *string

	// LogsKMSKeyARN is the logs key, which encrypts the PostgreSQL log group.
	// Required.
	LogsKMSKeyARN *string

	// LogRetentionDays is how long CloudWatch Logs keeps the PostgreSQL log,
	// in days. It must be a period CloudWatch Logs accepts. Required.
	LogRetentionDays int

	// BackupRetentionDays is the point-in-time recovery window, 1 to 35 days.
	// Required.
	BackupRetentionDays int

	// BackupWindow is the daily snapshot window in UTC, "hh:mm-hh:mm", at
	// least 30 minutes and apart from MaintenanceWindow. Default:
	// DefaultBackupWindow.
	BackupWindow string

	// MaintenanceWindow is the weekly maintenance window in UTC,
	// "ddd:hh:mm-ddd:hh:mm", at least 30 minutes. Default:
	// DefaultMaintenanceWindow.
	MaintenanceWindow string

	// AvailabilityZones, when set, places instance i in
	// AvailabilityZones[i % len(AvailabilityZones)], so that a reader is in
	// another AZ than the writer. Each zone must have a subnet in the subnet
	// group. Default: nil, which lets RDS choose.
	AvailabilityZones []string

	// AccountID is the 12-digit ID of the cluster's account. Required.
	AccountID string

	// Region is the cluster's region, such as "us-west-2". Required.
	Region string

	// Partition is the AWS partition. Default: DefaultPartition.
	Partition string
}

// Database is an Aurora PostgreSQL cluster with its instances, security
// group, parameter group and log group.
type Database struct {
	constructs.Construct

	// ClusterIdentifier is the cluster identifier, DatabaseConfig.Name.
	ClusterIdentifier string

	// ClusterARN is the cluster's ARN.
	ClusterARN *string

	// ClusterResourceID is the cluster's resource ID ("cluster-..."), which
	// IAM database authentication policies name.
	ClusterResourceID *string

	// Endpoint is the writer endpoint. It follows the writer through a
	// failover.
	Endpoint *string

	// ReaderEndpoint balances connections across the readers, or reaches
	// the writer when there is no reader.
	ReaderEndpoint *string

	// Port is the PostgreSQL port of both endpoints.
	Port int

	// DatabaseName is the database created with the cluster.
	DatabaseName string

	// MasterUsername is the administrator's user name.
	MasterUsername string

	// SecurityGroupID is the cluster's security group.
	SecurityGroupID *string

	// MasterUserSecretARN is the Secrets Manager secret that RDS keeps the
	// administrator's credentials in.
	MasterUserSecretARN *string

	// LogGroupName is the log group that receives the PostgreSQL log.
	LogGroupName string

	partition string
	region    string
	accountID string
}

// ConnectARN returns the resource ARN that an IAM policy allows
// rds-db:connect on, so that a role may sign in to the cluster as the
// PostgreSQL user dbUser with IAM database authentication. The user must
// exist in the database and be granted the rds_iam role.
func (d *Database) ConnectARN(dbUser string) *string {
	return jsii.String(fmt.Sprintf("arn:%s:rds-db:%s:%s:dbuser:%s/%s", d.partition, d.region, d.accountID, *d.ClusterResourceID, dbUser))
}

func (c DatabaseConfig) withDefaults() DatabaseConfig {
	if c.Partition == "" {
		c.Partition = DefaultPartition
	}
	if c.EngineVersion == "" {
		c.EngineVersion = DefaultEngineVersion
	}
	if c.DatabaseName == "" {
		c.DatabaseName = DefaultDatabaseName
	}
	if c.BackupWindow == "" {
		c.BackupWindow = DefaultBackupWindow
	}
	if c.MaintenanceWindow == "" {
		c.MaintenanceWindow = DefaultMaintenanceWindow
	}
	return c
}

// clusterParameter is one setting of the cluster parameter group.
type clusterParameter struct {
	name  string
	value string
}

// clusterParameters lists the settings that differ from, or must not drift
// from, the aurora-postgresql16 defaults.
var clusterParameters = []clusterParameter{
	// Reject connections without TLS, so passwords and data never cross the
	// VPC in clear text.
	{name: "rds.force_ssl", value: "1"},
	// Log every statement that runs for 1000 ms or longer.
	{name: "log_min_duration_statement", value: "1000"},
	// Log every connection attempt, to trace who reached the database.
	{name: "log_connections", value: "1"},
}

// NewDatabase creates an Aurora PostgreSQL cluster: a security group that
// admits PostgreSQL from cfg.AllowedSecurityGroupIDs only, the log group for
// its PostgreSQL log, a cluster parameter group that enforces TLS, the
// cluster and cfg.Instances instances.
//
// The cluster is encrypted with the data key, keeps point-in-time recovery
// for cfg.BackupRetentionDays days, and is protected three ways: deletion
// protection in RDS, prevent_destroy in Terraform, and a final snapshot
// ("<Name>-final") should it be deleted anyway. Its automated backups are
// kept after a deletion until their retention ends. RDS generates the
// administrator's password, stores it in Secrets Manager encrypted with
// the secrets key, and rotates it (every 7 days by default). Applications
// sign in with IAM database authentication (see Database.ConnectARN)
// instead of the administrator's password.
//
// Changes that RDS can defer wait for the maintenance window
// (apply_immediately is false) instead of restarting instances when the
// plan is applied.
//
// NewDatabase panics if cfg is invalid after defaults are applied.
func NewDatabase(scope constructs.Construct, id string, cfg DatabaseConfig) *Database {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))
	securityGroupID := newDatabaseSecurityGroup(c, cfg)

	// The log group exists before the cluster, so that RDS writes into a
	// group with this key and retention instead of creating one that never
	// expires.
	logGroupName := fmt.Sprintf("/aws/rds/cluster/%s/postgresql", cfg.Name)
	logGroup := cloudwatchloggroup.NewCloudwatchLogGroup(c, jsii.String("log_group"), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            jsii.String(logGroupName),
		KmsKeyId:        cfg.LogsKMSKeyARN,
		RetentionInDays: jsii.Number(float64(cfg.LogRetentionDays)),
		Tags:            &map[string]*string{"Name": jsii.String(cfg.Name + "-postgresql")},
		Lifecycle:       &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})

	parameters := make([]*rdsclusterparametergroup.RdsClusterParameterGroupParameter, len(clusterParameters))
	for i, p := range clusterParameters {
		parameters[i] = &rdsclusterparametergroup.RdsClusterParameterGroupParameter{
			Name:  jsii.String(p.name),
			Value: jsii.String(p.value),
		}
	}
	parameterGroupName := cfg.Name + "-" + parameterGroupFamily
	parameterGroup := rdsclusterparametergroup.NewRdsClusterParameterGroup(c, jsii.String("parameter_group"), &rdsclusterparametergroup.RdsClusterParameterGroupConfig{
		Name:        jsii.String(parameterGroupName),
		Family:      jsii.String(parameterGroupFamily),
		Description: jsii.String("Aurora PostgreSQL cluster " + cfg.Name + ": TLS only, slow statement and connection logging"),
		Parameter:   parameters,
		Tags:        &map[string]*string{"Name": jsii.String(parameterGroupName)},
	})

	cluster := rdscluster.NewRdsCluster(c, jsii.String("cluster"), &rdscluster.RdsClusterConfig{
		ClusterIdentifier:           jsii.String(cfg.Name),
		Engine:                      jsii.String(engine),
		EngineMode:                  jsii.String(engineMode),
		EngineVersion:               jsii.String(cfg.EngineVersion),
		DatabaseName:                jsii.String(cfg.DatabaseName),
		MasterUsername:              jsii.String(masterUsername),
		ManageMasterUserPassword:    jsii.Bool(true),
		MasterUserSecretKmsKeyId:    cfg.SecretsKMSKeyARN,
		Port:                        jsii.Number(postgresPort),
		StorageEncrypted:            jsii.Bool(true),
		KmsKeyId:                    cfg.KMSKeyARN,
		DbSubnetGroupName:           cfg.SubnetGroupName,
		VpcSecurityGroupIds:         &[]*string{securityGroupID},
		DbClusterParameterGroupName: parameterGroup.Name(),

		BackupRetentionPeriod:      jsii.Number(float64(cfg.BackupRetentionDays)),
		PreferredBackupWindow:      jsii.String(cfg.BackupWindow),
		PreferredMaintenanceWindow: jsii.String(cfg.MaintenanceWindow),
		CopyTagsToSnapshot:         jsii.Bool(true),
		DeletionProtection:         jsii.Bool(true),
		SkipFinalSnapshot:          jsii.Bool(false),
		FinalSnapshotIdentifier:    jsii.String(cfg.Name + "-final"),
		DeleteAutomatedBackups:     jsii.Bool(false),

		IamDatabaseAuthenticationEnabled: jsii.Bool(true),
		EnabledCloudwatchLogsExports:     jsii.Strings("postgresql"),
		ApplyImmediately:                 jsii.Bool(false),

		Tags:      &map[string]*string{"Name": jsii.String(cfg.Name), BackupTagKey: jsii.String(BackupTagValue)},
		Lifecycle: &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
		DependsOn: &[]cdktf.ITerraformDependable{logGroup},
	})

	for i := range cfg.Instances {
		newClusterInstance(c, cluster, cfg, i)
	}

	return &Database{
		Construct:           c,
		ClusterIdentifier:   cfg.Name,
		ClusterARN:          cluster.Arn(),
		ClusterResourceID:   cluster.ClusterResourceId(),
		Endpoint:            cluster.Endpoint(),
		ReaderEndpoint:      cluster.ReaderEndpoint(),
		Port:                postgresPort,
		DatabaseName:        cfg.DatabaseName,
		MasterUsername:      masterUsername,
		SecurityGroupID:     securityGroupID,
		MasterUserSecretARN: cluster.MasterUserSecret().Get(jsii.Number(0)).SecretArn(),
		LogGroupName:        logGroupName,
		partition:           cfg.Partition,
		region:              cfg.Region,
		accountID:           cfg.AccountID,
	}
}

// newDatabaseSecurityGroup creates the cluster's security group and one
// ingress rule per allowed security group, and returns the group's ID. The
// group has no egress rule. The AWS provider removes the allow-all egress
// rule that AWS adds to a new group, and PostgreSQL only replies to
// connections, which security groups let out as return traffic.
func newDatabaseSecurityGroup(scope constructs.Construct, cfg DatabaseConfig) *string {
	name := cfg.Name + "-aurora"
	group := securitygroup.NewSecurityGroup(scope, jsii.String("security_group"), &securitygroup.SecurityGroupConfig{
		Name:        jsii.String(name),
		Description: jsii.String("Aurora PostgreSQL cluster " + cfg.Name + ": port 5432 from allowed security groups only"),
		VpcId:       cfg.VPCID,
		Tags:        &map[string]*string{"Name": jsii.String(name)},
	})

	// Rules are separate resources because inline rules and rule resources
	// on one group overwrite each other.
	for i, source := range cfg.AllowedSecurityGroupIDs {
		vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(scope, jsii.String(fmt.Sprintf("ingress_%d", i)), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			SecurityGroupId:           group.Id(),
			ReferencedSecurityGroupId: source,
			IpProtocol:                jsii.String("tcp"),
			FromPort:                  jsii.Number(postgresPort),
			ToPort:                    jsii.Number(postgresPort),
			Description:               jsii.String("PostgreSQL to Aurora cluster " + cfg.Name),
			Tags:                      &map[string]*string{"Name": jsii.String(fmt.Sprintf("%s-ingress-%d", name, i))},
		})
	}
	return group.Id()
}

// newClusterInstance creates instance i of the cluster. Instance i gets
// promotion tier i (at most 15), so a failover picks readers in a fixed
// order. RDS makes the first instance that finishes creating the writer,
// which need not be instance 0, because Terraform creates them in parallel.
func newClusterInstance(scope constructs.Construct, cluster rdscluster.RdsCluster, cfg DatabaseConfig, i int) {
	identifier := fmt.Sprintf("%s-%d", cfg.Name, i)
	instance := &rdsclusterinstance.RdsClusterInstanceConfig{
		Identifier:        jsii.String(identifier),
		ClusterIdentifier: cluster.Id(),
		Engine:            jsii.String(engine),
		InstanceClass:     jsii.String(cfg.InstanceClass),
		DbSubnetGroupName: cfg.SubnetGroupName,

		PubliclyAccessible: jsii.Bool(false),
		CaCertIdentifier:   jsii.String(caCertificate),
		PromotionTier:      jsii.Number(float64(min(i, maxPromotionTier))),

		PerformanceInsightsEnabled:         jsii.Bool(true),
		PerformanceInsightsKmsKeyId:        cfg.KMSKeyARN,
		PerformanceInsightsRetentionPeriod: jsii.Number(performanceInsightsRetentionDays),

		AutoMinorVersionUpgrade:    jsii.Bool(true),
		PreferredMaintenanceWindow: jsii.String(cfg.MaintenanceWindow),
		ApplyImmediately:           jsii.Bool(false),

		Tags: &map[string]*string{"Name": jsii.String(identifier)},
	}
	if len(cfg.AvailabilityZones) > 0 {
		instance.AvailabilityZone = jsii.String(cfg.AvailabilityZones[i%len(cfg.AvailabilityZones)])
	}
	rdsclusterinstance.NewRdsClusterInstance(scope, jsii.String(fmt.Sprintf("instance_%d", i)), instance)
}
