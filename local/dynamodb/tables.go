package dynamodb

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/sparta-go/sparta/local/core"
	"github.com/truora/minidyn/server"
)

// tableMeta is what the store keeps of a table: the request that created
// it, the updates applied since, and what AWS describes beyond the schema.
type tableMeta struct {
	Create  server.CreateTableInput
	Updates []server.UpdateTableInput `json:",omitempty"`
	ARN     string
	ID      string
	Created time.Time
	// TTL is the TimeToLiveSpecification CloudFormation gave, described but
	// not enforced.
	TTL *ddbtypes.TimeToLiveSpecification `json:",omitempty"`
}

type table struct {
	meta tableMeta
	// hash and rng name the key attributes (rng empty for a simple key).
	hash, rng string
	// logLines counts the log's records, to decide on compaction.
	logLines int
}

func newTable(m tableMeta) *table {
	t := &table{meta: m}
	for _, k := range m.Create.KeySchema {
		switch k.KeyType {
		case ddbtypes.KeyTypeHash:
			t.hash = aws.ToString(k.AttributeName)
		case ddbtypes.KeyTypeRange:
			t.rng = aws.ToString(k.AttributeName)
		}
	}
	return t
}

// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
var tableNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_.-]{3,255}$`)

func checkTableName(name string) error {
	if !tableNamePattern.MatchString(name) {
		return errValidation("1 validation error detected: Value '%s' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 3 and 255", name)
	}
	return nil
}

// CreateTable creates a table from the API's input, as the CreateTable
// operation and the CloudFormation provider do.
func (s *Service) CreateTable(in server.CreateTableInput, ttl *ddbtypes.TimeToLiveSpecification) (TableDescription, error) {
	name := aws.ToString(in.TableName)
	if err := checkTableName(name); err != nil {
		return TableDescription{}, err
	}
	if len(in.KeySchema) == 0 {
		return TableDescription{}, errValidation("1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null")
	}
	if in.BillingMode == "" {
		in.BillingMode = ddbtypes.BillingModeProvisioned
	}
	if in.BillingMode == ddbtypes.BillingModeProvisioned && in.ProvisionedThroughput == nil {
		return TableDescription{}, errValidation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
	}
	s.tablesMu.Lock()
	defer s.tablesMu.Unlock()
	if _, ok := s.tables[name]; ok {
		return TableDescription{}, core.Errorf(http.StatusBadRequest, "ResourceInUseException", "Table already exists: %s", name)
	}
	if _, err := s.db.CreateTable(context.Background(), &in); err != nil {
		return TableDescription{}, awsError(err)
	}
	m := tableMeta{Create: in, ARN: s.env.ARN("dynamodb", "table/"+name), ID: core.NewRequestID(), Created: s.env.Clock.Now().UTC(), TTL: ttl}
	if err := s.tablesColl().Put(name, m); err != nil {
		_, _ = s.db.DeleteTable(context.Background(), &server.DeleteTableInput{TableName: &name})
		return TableDescription{}, err
	}
	t := newTable(m)
	s.tables[name] = t
	s.syncStream(t)
	return s.describeLocked(t)
}

// DeleteTable deletes a table and its items.
func (s *Service) DeleteTable(name string) (TableDescription, error) {
	s.tablesMu.Lock()
	defer s.tablesMu.Unlock()
	t, ok := s.tables[name]
	if !ok {
		return TableDescription{}, errNotFound()
	}
	desc, err := s.describeLocked(t)
	if err != nil {
		return desc, err
	}
	if err := s.tablesColl().Delete(name); err != nil {
		return desc, err
	}
	if err := s.dropItems(name); err != nil {
		return desc, err
	}
	if _, err := s.db.DeleteTable(context.Background(), &server.DeleteTableInput{TableName: &name}); err != nil {
		return desc, awsError(err)
	}
	delete(s.tables, name)
	desc.TableStatus = "DELETING"
	return desc, nil
}

// Tables returns the names of all tables, sorted.
func (s *Service) Tables() []string {
	s.tablesMu.RLock()
	defer s.tablesMu.RUnlock()
	names := make([]string, 0, len(s.tables))
	for n := range s.tables {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// DescribeTable describes a table.
func (s *Service) DescribeTable(name string) (TableDescription, error) {
	s.tablesMu.RLock()
	defer s.tablesMu.RUnlock()
	t, ok := s.tables[name]
	if !ok {
		return TableDescription{}, errNotFound()
	}
	return s.describeLocked(t)
}

func (s *Service) createTable(_ context.Context, in server.CreateTableInput) (any, error) {
	d, err := s.CreateTable(in, nil)
	if err != nil {
		return nil, err
	}
	return map[string]any{"TableDescription": d}, nil
}

func (s *Service) describeTable(_ context.Context, in server.DescribeTableInput) (any, error) {
	d, err := s.DescribeTable(aws.ToString(in.TableName))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Table": d}, nil
}

func (s *Service) deleteTable(_ context.Context, in server.DeleteTableInput) (any, error) {
	d, err := s.DeleteTable(aws.ToString(in.TableName))
	if err != nil {
		return nil, err
	}
	return map[string]any{"TableDescription": d}, nil
}

// updateTable applies global secondary index changes (and records billing
// and stream settings); the update is kept so that a restart replays it.
func (s *Service) updateTable(_ context.Context, in server.UpdateTableInput) (any, error) {
	name := aws.ToString(in.TableName)
	s.tablesMu.Lock()
	defer s.tablesMu.Unlock()
	t, ok := s.tables[name]
	if !ok {
		return nil, errNotFound()
	}
	if _, err := s.db.UpdateTable(context.Background(), &in); err != nil {
		return nil, awsError(err)
	}
	m := t.meta
	m.Updates = append(slices.Clone(m.Updates), in)
	if err := s.tablesColl().Put(name, m); err != nil {
		return nil, err
	}
	t.meta = m
	s.syncStream(t)
	d, err := s.describeLocked(t)
	if err != nil {
		return nil, err
	}
	return map[string]any{"TableDescription": d}, nil
}

type listTablesInput struct {
	ExclusiveStartTableName string
	Limit                   int
}

// listTables pages through the table names in order, at most 100 a page.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html
func (s *Service) listTables(_ context.Context, in listTablesInput) (any, error) {
	if in.Limit < 0 || in.Limit > 100 {
		return nil, errValidation("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100", in.Limit)
	}
	limit := in.Limit
	if limit == 0 {
		limit = 100
	}
	names := s.Tables()
	start := sort.SearchStrings(names, in.ExclusiveStartTableName)
	if start < len(names) && names[start] == in.ExclusiveStartTableName {
		start++
	}
	page := names[start:]
	out := map[string]any{}
	if len(page) > limit {
		page = page[:limit]
		out["LastEvaluatedTableName"] = page[limit-1]
	}
	out["TableNames"] = append([]string{}, page...)
	return out, nil
}

// TableDescription is DescribeTable's Table as AWS writes it (times in
// epoch seconds, as awsJson 1.0 encodes timestamps).
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html
type TableDescription struct {
	TableName                 string
	TableArn                  string
	TableId                   string
	TableStatus               string
	CreationDateTime          float64
	AttributeDefinitions      []ddbtypes.AttributeDefinition
	KeySchema                 []ddbtypes.KeySchemaElement
	ItemCount                 int64
	TableSizeBytes            int64
	BillingModeSummary        *billingModeSummary   `json:",omitempty"`
	ProvisionedThroughput     throughputDescription `json:",omitempty"`
	GlobalSecondaryIndexes    []indexDescription    `json:",omitempty"`
	LocalSecondaryIndexes     []indexDescription    `json:",omitempty"`
	StreamSpecification       *streamSpecification  `json:",omitempty"`
	LatestStreamArn           string                `json:",omitempty"`
	LatestStreamLabel         string                `json:",omitempty"`
	DeletionProtectionEnabled bool                  `json:",omitempty"`
}

type billingModeSummary struct{ BillingMode string }

type throughputDescription struct {
	NumberOfDecreasesToday int64
	ReadCapacityUnits      int64
	WriteCapacityUnits     int64
}

type streamSpecification struct {
	StreamEnabled  bool
	StreamViewType string `json:",omitempty"`
}

type indexDescription struct {
	IndexName             string
	IndexArn              string
	IndexStatus           string `json:",omitempty"`
	KeySchema             []ddbtypes.KeySchemaElement
	Projection            projection
	ItemCount             int64
	IndexSizeBytes        int64
	ProvisionedThroughput *throughputDescription `json:",omitempty"`
}

type projection struct {
	ProjectionType   string
	NonKeyAttributes []string `json:",omitempty"`
}

func toProjection(p *ddbtypes.Projection) projection {
	if p == nil {
		return projection{ProjectionType: "ALL"}
	}
	return projection{ProjectionType: string(p.ProjectionType), NonKeyAttributes: p.NonKeyAttributes}
}

func throughput(p *ddbtypes.ProvisionedThroughput) throughputDescription {
	if p == nil {
		return throughputDescription{}
	}
	return throughputDescription{ReadCapacityUnits: aws.ToInt64(p.ReadCapacityUnits), WriteCapacityUnits: aws.ToInt64(p.WriteCapacityUnits)}
}

// describeLocked builds the description from the meta and the engine's
// counts. The caller holds tablesMu.
func (s *Service) describeLocked(t *table) (TableDescription, error) {
	name := aws.ToString(t.meta.Create.TableName)
	out, err := s.db.DescribeTable(context.Background(), &server.DescribeTableInput{TableName: &name})
	if err != nil {
		return TableDescription{}, awsError(err)
	}
	engine, _ := out.Table.(*ddbtypes.TableDescription)
	if engine == nil {
		engine = &ddbtypes.TableDescription{}
	}
	in := t.meta.Create
	d := TableDescription{
		TableName: name, TableArn: t.meta.ARN, TableId: t.meta.ID, TableStatus: "ACTIVE",
		CreationDateTime:     float64(t.meta.Created.UnixMilli()) / 1000,
		AttributeDefinitions: in.AttributeDefinitions, KeySchema: in.KeySchema,
		ItemCount:                 aws.ToInt64(engine.ItemCount),
		BillingModeSummary:        &billingModeSummary{BillingMode: string(in.BillingMode)},
		ProvisionedThroughput:     throughput(in.ProvisionedThroughput),
		DeletionProtectionEnabled: aws.ToBool(in.DeletionProtectionEnabled),
	}
	spec := in.StreamSpecification
	for _, u := range t.meta.Updates {
		if u.BillingMode != "" {
			d.BillingModeSummary.BillingMode = string(u.BillingMode)
		}
		if u.ProvisionedThroughput != nil {
			d.ProvisionedThroughput = throughput(u.ProvisionedThroughput)
		}
		if u.StreamSpecification != nil {
			spec = u.StreamSpecification
		}
		if len(u.AttributeDefinitions) > 0 {
			d.AttributeDefinitions = u.AttributeDefinitions
		}
	}
	if spec != nil && aws.ToBool(spec.StreamEnabled) {
		d.StreamSpecification = &streamSpecification{StreamEnabled: true, StreamViewType: string(spec.StreamViewType)}
		label := t.meta.Created.Format("2006-01-02T15:04:05.000")
		d.LatestStreamLabel = label
		d.LatestStreamArn = t.meta.ARN + "/stream/" + label
	}
	counts := map[string]int64{}
	for _, g := range engine.GlobalSecondaryIndexes {
		counts[aws.ToString(g.IndexName)] = aws.ToInt64(g.ItemCount)
	}
	for _, g := range s.globalIndexes(t) {
		n := aws.ToString(g.IndexName)
		tp := throughput(g.ProvisionedThroughput)
		d.GlobalSecondaryIndexes = append(d.GlobalSecondaryIndexes, indexDescription{
			IndexName: n, IndexArn: t.meta.ARN + "/index/" + n, IndexStatus: "ACTIVE", KeySchema: g.KeySchema,
			Projection: toProjection(g.Projection), ItemCount: counts[n], ProvisionedThroughput: &tp,
		})
	}
	for _, l := range in.LocalSecondaryIndexes {
		n := aws.ToString(l.IndexName)
		d.LocalSecondaryIndexes = append(d.LocalSecondaryIndexes, indexDescription{
			IndexName: n, IndexArn: t.meta.ARN + "/index/" + n, KeySchema: l.KeySchema, Projection: toProjection(l.Projection),
		})
	}
	return d, nil
}

// globalIndexes are the table's GSIs after its updates, in order.
func (s *Service) globalIndexes(t *table) []ddbtypes.GlobalSecondaryIndex {
	gsis := slices.Clone(t.meta.Create.GlobalSecondaryIndexes)
	for _, u := range t.meta.Updates {
		for _, c := range u.GlobalSecondaryIndexUpdates {
			switch {
			case c.Create != nil:
				gsis = append(gsis, ddbtypes.GlobalSecondaryIndex{IndexName: c.Create.IndexName, KeySchema: c.Create.KeySchema,
					Projection: c.Create.Projection, ProvisionedThroughput: c.Create.ProvisionedThroughput})
			case c.Delete != nil:
				gsis = slices.DeleteFunc(gsis, func(g ddbtypes.GlobalSecondaryIndex) bool {
					return aws.ToString(g.IndexName) == aws.ToString(c.Delete.IndexName)
				})
			}
		}
	}
	return gsis
}
