package data

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/honeyhive/platform/constructs/awsid"
)

// Limits of DatabaseConfig.
const (
	// maxClusterNameLength leaves room for the "-<i>" suffix of instance
	// identifiers, which RDS limits to 63 characters.
	maxClusterNameLength = 60

	// Aurora allows a writer and up to 15 readers. The environments cap the
	// whole cluster at 15 instances, and so does this package.
	minInstances = 1
	maxInstances = 15

	minBackupRetentionDays = 1
	maxBackupRetentionDays = 35

	minWindowMinutes = 30
	minutesPerDay    = 24 * 60
	minutesPerWeek   = 7 * minutesPerDay
)

var (
	// clusterNamePattern is an RDS identifier: a letter first, then letters,
	// digits and hyphens, with no two hyphens in a row and none at the end.
	// RDS stores identifiers in lowercase, so uppercase is rejected to keep
	// the plan free of diffs.
	clusterNamePattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

	// engineVersionPattern accepts Aurora PostgreSQL 16 versions only,
	// because the parameter group family is aurora-postgresql16.
	engineVersionPattern = regexp.MustCompile(`^16\.[0-9]+$`)

	instanceClassPattern = regexp.MustCompile(`^db\.[a-z0-9]+\.[a-z0-9]+$`)

	// databaseNamePattern is the database name RDS accepts for PostgreSQL:
	// a letter, then letters, digits and underscores, at most 63 in all.
	databaseNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,62}$`)

	securityGroupIDPattern = regexp.MustCompile(`^sg-([0-9a-f]{8}|[0-9a-f]{17})$`)

	backupWindowPattern      = regexp.MustCompile(`^([0-9]{2}):([0-9]{2})-([0-9]{2}):([0-9]{2})$`)
	maintenanceWindowPattern = regexp.MustCompile(`^([a-z]{3}):([0-9]{2}):([0-9]{2})-([a-z]{3}):([0-9]{2}):([0-9]{2})$`)

	weekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
)

// Validate returns every problem with the configuration, joined, or nil.
// NewDatabase applies defaults first, so call it on a config with defaults
// when zero values should count as unset.
func (c DatabaseConfig) Validate() error {
	var errs []error
	switch {
	case c.Name == "":
		errs = append(errs, errors.New("data: DatabaseConfig.Name is missing; set a cluster identifier such as \"prod-usw2-platform\""))
	case len(c.Name) > maxClusterNameLength:
		errs = append(errs, fmt.Errorf("data: DatabaseConfig.Name: %q is %d characters long; use at most %d so instance identifiers stay within 63", c.Name, len(c.Name), maxClusterNameLength))
	case !clusterNamePattern.MatchString(c.Name):
		errs = append(errs, fmt.Errorf("data: DatabaseConfig.Name: %q is not a valid cluster identifier; use lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit", c.Name))
	}

	if !engineVersionPattern.MatchString(c.EngineVersion) {
		errs = append(errs, fmt.Errorf("data: DatabaseConfig.EngineVersion: %q is not an Aurora PostgreSQL 16 version; use \"16.<minor>\", such as %q", c.EngineVersion, DefaultEngineVersion))
	}
	switch {
	case c.InstanceClass == "db.serverless":
		errs = append(errs, errors.New("data: DatabaseConfig.InstanceClass: \"db.serverless\" is not supported because the cluster has no Serverless v2 scaling configuration; use a provisioned class such as \"db.r7g.large\""))
	case !instanceClassPattern.MatchString(c.InstanceClass):
		errs = append(errs, fmt.Errorf("data: DatabaseConfig.InstanceClass: %q is not an RDS instance class; use one such as \"db.r7g.large\"", c.InstanceClass))
	}
	if c.Instances < minInstances || c.Instances > maxInstances {
		errs = append(errs, fmt.Errorf("data: DatabaseConfig.Instances: %d is out of range; use %d to %d, and 2 or more for a reader that can take over", c.Instances, minInstances, maxInstances))
	}
	if !databaseNamePattern.MatchString(c.DatabaseName) {
		errs = append(errs, fmt.Errorf("data: DatabaseConfig.DatabaseName: %q is invalid; use a letter followed by up to 62 letters, digits and underscores", c.DatabaseName))
	}

	if awsid.Missing(c.SubnetGroupName) {
		errs = append(errs, errors.New("data: DatabaseConfig.SubnetGroupName is missing; pass the DB subnet group of the database subnets"))
	}
	if awsid.Missing(c.VPCID) {
		errs = append(errs, errors.New("data: DatabaseConfig.VPCID is missing; pass the ID of the VPC that contains the subnet group"))
	}
	errs = append(errs, c.validateAllowedSecurityGroups()...)

	for _, key := range []struct {
		field string
		arn   *string
	}{
		{"data: DatabaseConfig.KMSKeyARN", c.KMSKeyARN},
		{"data: DatabaseConfig.SecretsKMSKeyARN", c.SecretsKMSKeyARN},
		{"data: DatabaseConfig.LogsKMSKeyARN", c.LogsKMSKeyARN},
	} {
		if err := awsid.KMSKeyARN(key.field, key.arn); err != nil {
			errs = append(errs, err)
		}
	}
	if err := awsid.LogRetentionDays("data: DatabaseConfig.LogRetentionDays", c.LogRetentionDays); err != nil {
		errs = append(errs, err)
	}
	if d := c.BackupRetentionDays; d < minBackupRetentionDays || d > maxBackupRetentionDays {
		errs = append(errs, fmt.Errorf("data: DatabaseConfig.BackupRetentionDays: %d is out of range; use %d to %d days, the range Aurora point-in-time recovery supports", d, minBackupRetentionDays, maxBackupRetentionDays))
	}
	errs = append(errs, c.validateWindows()...)

	errs = append(errs, validateAccount("DatabaseConfig", c.AccountID, c.Region, c.Partition)...)
	errs = append(errs, c.validateAvailabilityZones()...)
	return errors.Join(errs...)
}

// validateAllowedSecurityGroups requires at least one source group and
// rejects empty entries, literals that are not security group IDs and
// literals listed twice, which would create two identical rules that AWS
// rejects as duplicates.
func (c DatabaseConfig) validateAllowedSecurityGroups() []error {
	if len(c.AllowedSecurityGroupIDs) == 0 {
		return []error{errors.New("data: DatabaseConfig.AllowedSecurityGroupIDs is empty; list the security groups that may connect, such as the EKS cluster security group")}
	}
	var errs []error
	seen := map[string]bool{}
	for i, id := range c.AllowedSecurityGroupIDs {
		switch {
		case awsid.Missing(id):
			errs = append(errs, fmt.Errorf("data: DatabaseConfig.AllowedSecurityGroupIDs[%d] is empty; pass a security group ID", i))
		case isToken(id):
		case !securityGroupIDPattern.MatchString(*id):
			errs = append(errs, fmt.Errorf("data: DatabaseConfig.AllowedSecurityGroupIDs[%d]: %q is not a security group ID; use \"sg-\" and 8 or 17 hex digits", i, *id))
		case seen[*id]:
			errs = append(errs, fmt.Errorf("data: DatabaseConfig.AllowedSecurityGroupIDs[%d]: %q is listed twice; list each group once", i, *id))
		default:
			seen[*id] = true
		}
	}
	return errs
}

func (c DatabaseConfig) validateAvailabilityZones() []error {
	var errs []error
	seen := map[string]bool{}
	for i, zone := range c.AvailabilityZones {
		suffix, ok := strings.CutPrefix(zone, c.Region)
		switch {
		case !ok || len(suffix) != 1 || suffix[0] < 'a' || suffix[0] > 'z':
			errs = append(errs, fmt.Errorf("data: DatabaseConfig.AvailabilityZones[%d]: %q is not an availability zone of %q; use a name such as %q", i, zone, c.Region, c.Region+"a"))
		case seen[zone]:
			errs = append(errs, fmt.Errorf("data: DatabaseConfig.AvailabilityZones[%d]: %q is listed twice; list each zone once", i, zone))
		default:
			seen[zone] = true
		}
	}
	return errs
}

// validateWindows checks the form and length of both windows and that they
// do not overlap, which RDS requires. The backup window recurs daily and the
// maintenance window weekly, so they are compared as intervals of the week.
func (c DatabaseConfig) validateWindows() []error {
	var errs []error
	backupStart, backupLength, err := parseBackupWindow(c.BackupWindow)
	if err != nil {
		errs = append(errs, err)
	}
	maintenanceStart, maintenanceLength, mErr := parseMaintenanceWindow(c.MaintenanceWindow)
	if mErr != nil {
		errs = append(errs, mErr)
	}
	if err != nil || mErr != nil {
		return errs
	}

	for day := range 7 {
		if overlaps(day*minutesPerDay+backupStart, backupLength, maintenanceStart, maintenanceLength, minutesPerWeek) {
			return []error{fmt.Errorf("data: DatabaseConfig.BackupWindow: %q overlaps MaintenanceWindow %q; move one of them", c.BackupWindow, c.MaintenanceWindow)}
		}
	}
	return nil
}

// parseBackupWindow returns the start, in minutes after midnight, and the
// length in minutes of a "hh:mm-hh:mm" window, which may cross midnight.
func parseBackupWindow(window string) (start, length int, err error) {
	m := backupWindowPattern.FindStringSubmatch(window)
	invalid := fmt.Errorf("data: DatabaseConfig.BackupWindow: %q is invalid; use \"hh:mm-hh:mm\" in UTC, such as %q", window, DefaultBackupWindow)
	if m == nil {
		return 0, 0, invalid
	}
	start, ok := clockMinutes(m[1], m[2])
	end, endOK := clockMinutes(m[3], m[4])
	if !ok || !endOK {
		return 0, 0, invalid
	}
	length = (end - start + minutesPerDay) % minutesPerDay
	if length < minWindowMinutes {
		return 0, 0, fmt.Errorf("data: DatabaseConfig.BackupWindow: %q is shorter than %d minutes; lengthen it", window, minWindowMinutes)
	}
	return start, length, nil
}

// parseMaintenanceWindow returns the start, in minutes after Monday 00:00,
// and the length in minutes of a "ddd:hh:mm-ddd:hh:mm" window, which may
// cross the end of the week.
func parseMaintenanceWindow(window string) (start, length int, err error) {
	m := maintenanceWindowPattern.FindStringSubmatch(window)
	invalid := fmt.Errorf("data: DatabaseConfig.MaintenanceWindow: %q is invalid; use \"ddd:hh:mm-ddd:hh:mm\" in UTC with days mon to sun, such as %q", window, DefaultMaintenanceWindow)
	if m == nil {
		return 0, 0, invalid
	}
	startDay, endDay := slices.Index(weekdays, m[1]), slices.Index(weekdays, m[4])
	startClock, ok := clockMinutes(m[2], m[3])
	endClock, endOK := clockMinutes(m[5], m[6])
	if startDay < 0 || endDay < 0 || !ok || !endOK {
		return 0, 0, invalid
	}
	start = startDay*minutesPerDay + startClock
	end := endDay*minutesPerDay + endClock
	length = (end - start + minutesPerWeek) % minutesPerWeek
	if length < minWindowMinutes {
		return 0, 0, fmt.Errorf("data: DatabaseConfig.MaintenanceWindow: %q is shorter than %d minutes; lengthen it", window, minWindowMinutes)
	}
	return start, length, nil
}

// clockMinutes returns hours:minutes as minutes after midnight.
func clockMinutes(hours, minutes string) (int, bool) {
	h, _ := strconv.Atoi(hours)
	m, _ := strconv.Atoi(minutes)
	if h > 23 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

// overlaps reports whether the intervals [a, a+aLength) and [b, b+bLength)
// on a circle of period minutes share a minute.
func overlaps(a, aLength, b, bLength, period int) bool {
	return (b-a+period)%period < aLength || (a-b+period)%period < bLength
}
