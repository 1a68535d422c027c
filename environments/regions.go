package environments

import "sort"

// RegionInfo describes an AWS region the platform supports.
type RegionInfo struct {
	// Name is the AWS region name, for example "us-west-2".
	Name string

	// Code is the short form used in stack names, for example "usw2".
	Code string

	// Jurisdiction is the legal area in which data stored in the region
	// resides. Data may be replicated only between regions of the same
	// jurisdiction.
	Jurisdiction Jurisdiction
}

// Jurisdiction is a data-residency area.
type Jurisdiction string

// Jurisdictions of the supported regions.
const (
	JurisdictionUS Jurisdiction = "US"
	JurisdictionEU Jurisdiction = "EU"
)

// supportedRegions lists the regions the platform has been designed for. A
// region is added here, with its code, before an environment may use it.
var supportedRegions = map[string]RegionInfo{
	"us-west-2": {Name: "us-west-2", Code: "usw2", Jurisdiction: JurisdictionUS},
	"us-east-1": {Name: "us-east-1", Code: "use1", Jurisdiction: JurisdictionUS},
	"eu-west-1": {Name: "eu-west-1", Code: "euw1", Jurisdiction: JurisdictionEU},
}

// LookupRegion returns the supported region with the given name or code.
// Environment definitions must use the name; codes are accepted here for
// stack selection, which takes either.
func LookupRegion(nameOrCode string) (RegionInfo, bool) {
	if info, ok := supportedRegions[nameOrCode]; ok {
		return info, true
	}
	for _, info := range supportedRegions {
		if info.Code == nameOrCode {
			return info, true
		}
	}
	return RegionInfo{}, false
}

// SupportedRegionNames returns the names of all supported regions, sorted.
func SupportedRegionNames() []string {
	names := make([]string, 0, len(supportedRegions))
	for name := range supportedRegions {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
