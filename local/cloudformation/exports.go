package cloudformation

import "sort"

// export is one exported output of a live stack.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html
type export struct {
	value, stackID, stackName string
}

// exportsLocked indexes the exports of the stacks that hold resources.
// Exports are part of their stack's document, so they persist with it and
// need no store of their own.
func (s *Service) exportsLocked() map[string]export {
	out := map[string]export{}
	for _, st := range s.stacks {
		if st.Status == StatusDeleteComplete {
			continue
		}
		for _, o := range st.Outputs {
			if o.ExportName != "" {
				out[o.ExportName] = export{value: o.Value, stackID: st.ID, stackName: st.Name}
			}
		}
	}
	return out
}

// importersLocked returns the names of the live stacks, other than
// exporter, whose template imports name.
func (s *Service) importersLocked(name, exporter string) []string {
	var users []string
	for _, st := range s.stacks {
		if st.ID == exporter || st.Status == StatusDeleteComplete {
			continue
		}
		imports := st.Imports
		if st.Previous != nil {
			// During an update both the old and the new imports hold.
			imports = append(append([]string(nil), imports...), st.Previous.Imports...)
		}
		for _, i := range imports {
			if i == name {
				users = append(users, st.Name)
				break
			}
		}
	}
	sort.Strings(users)
	return users
}
