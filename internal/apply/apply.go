// Package apply is what candidates do with their applications — start one, save a draft,
// submit, change it until the deadline, withdraw — and what managers decide on them, with
// the rules every entry point shares: the call's deadline by the server's clock, one
// application per person per call, eligibility, answers and uploads checked, one transaction
// with its audit entry and its e-mail.
package apply

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"parcours/internal/directory"
	"parcours/internal/eligibility"
	"parcours/internal/i18n"
	"parcours/internal/mail"
	"parcours/internal/model"
	"parcours/internal/storage"
	"parcours/internal/territory"
	"parcours/internal/validator"
)

// MaxFileSize is the largest file a candidate may attach to an answer.
const MaxFileSize = 5 << 20

// Accepted file types, read from the content, never from the name.
var acceptedTypes = map[string]bool{"application/pdf": true, "image/jpeg": true, "image/png": true}

var (
	// ErrEmailNotVerified: the candidate must prove their address before applying.
	ErrEmailNotVerified = errors.New("e-mail address not verified")
	// ErrNotEditable: the application is withdrawn.
	ErrNotEditable = errors.New("application not editable")
)

// ClosedError says the call is not open at the server's clock: not yet, or no more.
type ClosedError struct {
	Call   model.Call
	Region string
	Now    time.Time
}

func (e *ClosedError) Error() string {
	loc := location(e.Region)
	if e.Now.Before(e.Call.OpensAt) {
		return i18n.T("apply.not_open_yet", i18n.DateTimeZone(e.Call.OpensAt, loc))
	}
	return i18n.T("apply.closed", i18n.DateTimeZone(e.Call.ClosesAt, loc))
}

func location(region string) *time.Location {
	if r, ok := territory.RegionByCode(region); ok {
		return r.Location()
	}
	return time.UTC
}

// RulesOf are a call's eligibility rules.
func RulesOf(c model.Call) eligibility.Rules {
	return eligibility.Rules{Kinds: c.Kinds, RegionCode: c.RegionCode, Role: c.Role, MustBeAttached: c.MustBeAttached,
		MinStage: c.MinStage}
}

// Check evaluates an application against its call's rules.
func Check(ctx context.Context, s *storage.Store, c model.Call, a model.Application) (eligibility.Verdict, error) {
	cand := eligibility.Candidate{Role: a.Role}
	switch {
	case a.StructureID != "":
		st, err := s.Structure(ctx, a.StructureID)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return eligibility.Verdict{}, err
		}
		if err == nil {
			cand.Structure = &st
		}
	case a.DeclaredName != "":
		cand.Declared = &eligibility.Declared{Name: a.DeclaredName, Kind: a.DeclaredKind, DepartementCode: a.DeclaredDepartement}
	}
	return eligibility.Check(RulesOf(c), cand), nil
}

// Start returns the account's application to the call, making a draft if there is none.
// The call must be open and the account's e-mail verified; the account gets a person record
// (the one with its e-mail, or a new one) that the application names.
func Start(ctx context.Context, s *storage.Store, account model.Account, view storage.CallView) (model.Application, error) {
	if existing, err := s.ApplicationOf(ctx, view.Call.ID, account.ID); err == nil {
		return existing, nil
	} else if !errors.Is(err, storage.ErrNotFound) {
		return existing, err
	}
	if now := s.Clock.Now(); !view.Call.Open(now) {
		return model.Application{}, &ClosedError{Call: view.Call, Region: view.Cohort.RegionCode, Now: now}
	}
	if account.EmailVerifiedAt.IsZero() {
		return model.Application{}, ErrEmailNotVerified
	}
	var a model.Application
	err := s.InTx(ctx, func(tx *storage.Store) error {
		personID, err := personOf(ctx, tx, account)
		if err != nil {
			return err
		}
		a = model.Application{CallID: view.Call.ID, AccountID: account.ID, PersonID: personID}
		if p, err := tx.Person(ctx, personID); err == nil {
			a.Profession = p.Profession
		}
		if err := tx.CreateApplication(ctx, &a); err != nil {
			return err
		}
		// The directory may know the candidate's structure and role already: start from them.
		aff, err := tx.Affiliations(ctx, personID)
		if err != nil {
			return err
		}
		if st, role, ok := bestAffiliation(view.Call, aff); ok {
			a.StructureID, a.Role = st, role
			verdict, err := Check(ctx, tx, view.Call, a)
			if err != nil {
				return err
			}
			a.Eligible, a.NeedsReview = verdict.Eligible(), verdict.NeedsReview()
			for _, f := range verdict.Failures() {
				a.Reasons = append(a.Reasons, f.Reason)
			}
			return tx.SaveApplication(ctx, &a)
		}
		return nil
	})
	if errors.Is(err, storage.ErrAlreadyExists) { // a double click: the other request made it
		return s.ApplicationOf(ctx, view.Call.ID, account.ID)
	}
	return a, err
}

// bestAffiliation picks, among a person's roles, the one that best fits a call: a care
// structure of an allowed kind, in the call's région, with the role it asks for.
func bestAffiliation(c model.Call, aff []model.Affiliation) (structureID string, role model.MemberRole, ok bool) {
	best := -1
	for _, af := range aff {
		if !af.Structure.Kind.IsCare() {
			continue
		}
		score := 0
		if len(c.Kinds) == 0 || slices.Contains(c.Kinds, af.Structure.Kind) {
			score += 4
		}
		if c.RegionCode == "" || c.RegionCode == af.Structure.RegionCode {
			score += 2
		}
		if (c.Role == model.RequireGovernance && af.Role.IsGovernance()) ||
			(c.Role == model.RequireCoordinator && af.Role == model.RoleCoordinateur) || c.Role == model.RequireAnyRole {
			score++
		}
		if score > best {
			best, structureID, role, ok = score, af.Structure.ID, af.Role, true
		}
	}
	return structureID, role, ok
}

// personOf returns the person of an account whose e-mail is verified, linking the person with
// that e-mail or creating one from the account's name.
func personOf(ctx context.Context, tx *storage.Store, account model.Account) (string, error) {
	if account.PersonID != "" {
		return account.PersonID, nil
	}
	p, err := tx.PersonByEmail(ctx, account.Email)
	if errors.Is(err, storage.ErrNotFound) {
		p = model.Person{Email: account.Email, Profession: model.ProfAutre}
		p.FirstName, p.LastName = splitName(account.DisplayName)
		err = tx.CreatePerson(ctx, &p)
	}
	if err != nil {
		return "", err
	}
	return p.ID, tx.LinkAccountPerson(ctx, account.ID, p.ID)
}

// splitName makes a first and last name from a display name: "Marie-Anne Le Goff" gives
// "Marie-Anne" and "Le Goff".
func splitName(name string) (first, last string) {
	parts := strings.Fields(name)
	if len(parts) < 2 {
		return name, name
	}
	return parts[0], strings.Join(parts[1:], " ")
}

// Draft is what a candidate types in the application form.
type Draft struct {
	StructureID         string
	DeclaredName        string
	DeclaredKind        model.StructureKind
	DeclaredDepartement string
	DeclaredCommune     string
	Role                model.MemberRole
	Profession          model.Profession
	Answers             map[string]string // question id → value
	Files               map[string]Upload // question id → a new file
	ConsentProcessing   bool
	ConsentRetention    bool
}

// Upload is a file sent with the form.
type Upload struct {
	Name string
	Data []byte
}

// Outcome is what Save did.
type Outcome struct {
	Verdict   eligibility.Verdict
	Submitted bool // the application was submitted (or its changes), with this receipt
}

// Save stores the draft's fields and answers, and submits when submit is set. A draft may be
// saved incomplete; a submission needs every required answer, both consents, a verified
// e-mail and an eligible candidate, and is refused after the closing instant. A submitted
// application changes only through a new submission: if that is refused, the submitted
// version stays as it was.
func Save(ctx context.Context, s *storage.Store, actor directory.Actor, m mail.Site, view storage.CallView,
	a *model.Application, d Draft, submit bool) (validator.Errors, Outcome, error) {
	var out Outcome
	now := s.Clock.Now()
	if a.Status == model.ApplicationWithdrawn {
		return nil, out, ErrNotEditable
	}
	if !view.Call.Open(now) {
		return nil, out, &ClosedError{Call: view.Call, Region: view.Cohort.RegionCode, Now: now}
	}
	submit = submit || a.Status == model.ApplicationSubmitted
	questions, err := s.Questions(ctx, view.Call.ID)
	if err != nil {
		return nil, out, err
	}
	answers, err := s.Answers(ctx, a.ID)
	if err != nil {
		return nil, out, err
	}
	errs := applyDraft(ctx, s, a, d, now)
	files := checkFiles(questions, d.Files, &errs)
	errs = append(errs, checkAnswers(questions, d, answers, files, submit)...)
	if out.Verdict, err = Check(ctx, s, view.Call, *a); err != nil {
		return nil, out, err
	}
	a.Eligible, a.NeedsReview = out.Verdict.Eligible(), out.Verdict.NeedsReview()
	a.Reasons = nil
	for _, f := range out.Verdict.Failures() {
		a.Reasons = append(a.Reasons, f.Reason)
	}
	if submit {
		if !d.ConsentProcessing {
			errs.Add("consent_processing", "required", i18n.T("apply.consent_required"))
		}
		if !d.ConsentRetention {
			errs.Add("consent_retention", "required", i18n.T("apply.consent_required"))
		}
		if !a.Eligible {
			errs.Add("eligibility", "ineligible", i18n.T("apply.ineligible"))
		}
		if a.StructureID != "" && a.Role == "" {
			errs.Add("role", "required", i18n.T("apply.role_required"))
		}
	}
	if errs.Any() {
		// A draft keeps what could be read, so that nothing correct is lost; a submitted
		// application stays as it was submitted.
		if a.Status == model.ApplicationDraft {
			if err := saveDraft(ctx, s, a, questions, d, files, errs); err != nil {
				return errs, out, err
			}
		}
		return errs, out, nil
	}
	wasSubmitted := a.Status == model.ApplicationSubmitted
	err = s.InTx(ctx, func(tx *storage.Store) error {
		if err := saveAll(ctx, tx, a, questions, d, files); err != nil {
			return err
		}
		if !submit {
			return nil
		}
		membershipID, err := pendingMembership(ctx, tx, a)
		if err != nil {
			return err
		}
		action, message := "application.resubmit", "application_updated"
		if !wasSubmitted {
			action, message = "application.submit", "application_submitted"
			if err := tx.SubmitApplication(ctx, a, view.Programme.Code+"-"+view.Cohort.RegionCode, membershipID); err != nil {
				return err
			}
		}
		if err := tx.Audit(ctx, storage.AuditEntry{AccountID: actor.Principal.AccountID, Action: action, SubjectType: "application",
			SubjectID: a.ID, IP: actor.IP, Details: map[string]any{"receipt": a.Receipt, "eligible": a.Eligible, "via": actor.Via}}); err != nil {
			return err
		}
		return confirmationMail(ctx, tx, m, view, *a, message)
	})
	if errors.Is(err, storage.ErrNotFound) && !wasSubmitted {
		// Another request submitted this draft a moment ago: it is submitted, once.
		fresh, ferr := s.Application(ctx, a.ID)
		if ferr != nil {
			return nil, out, ferr
		}
		*a = fresh
		out.Submitted = true
		return nil, out, nil
	}
	out.Submitted = submit && err == nil
	return errs, out, err
}

// applyDraft copies the typed fields into the application.
func applyDraft(ctx context.Context, s *storage.Store, a *model.Application, d Draft, now time.Time) validator.Errors {
	var errs validator.Errors
	a.StructureID, a.DeclaredName, a.DeclaredKind, a.DeclaredDepartement, a.DeclaredCommune = "", "", "", "", ""
	switch {
	case d.StructureID != "":
		if st, err := s.Structure(ctx, d.StructureID); err != nil || !st.Kind.IsCare() {
			errs.Add("structure_id", "invalid", i18n.T("apply.structure_unknown"))
		} else {
			a.StructureID = st.ID
		}
	case strings.TrimSpace(d.DeclaredName) != "":
		a.DeclaredName = strings.Join(strings.Fields(d.DeclaredName), " ")
		a.DeclaredKind, a.DeclaredCommune = d.DeclaredKind, strings.TrimSpace(d.DeclaredCommune)
		a.DeclaredDepartement = strings.TrimSpace(d.DeclaredDepartement)
		if !a.DeclaredKind.IsCare() {
			errs.Add("declared_kind", "required", i18n.T("validation.choose"))
		}
		if _, ok := territory.DepartementByCode(a.DeclaredDepartement); !ok {
			errs.Add("declared_departement", "required", i18n.T("validation.choose"))
		}
		if utf8.RuneCountInString(a.DeclaredName) > 200 {
			errs.Add("declared_name", "too_long", i18n.T("validation.too_long", 200))
		}
	}
	a.Role = ""
	if (a.StructureID != "" || a.DeclaredName != "") && d.Role != "" {
		if d.Role.Valid() {
			a.Role = d.Role
		} else {
			errs.Add("role", "invalid", i18n.T("validation.choose"))
		}
	}
	if d.Profession != "" && !d.Profession.Valid() {
		errs.Add("profession", "invalid", i18n.T("validation.choose"))
	} else {
		a.Profession = d.Profession
	}
	a.ConsentProcessingAt, a.ConsentRetentionAt = time.Time{}, time.Time{}
	if d.ConsentProcessing {
		a.ConsentProcessingAt = now
	}
	if d.ConsentRetention {
		a.ConsentRetentionAt = now
	}
	return errs
}

// fieldOf is the form field of a question's answer.
func fieldOf(q model.Question) string { return "q-" + q.ID }

// checkFiles checks the new files: size, and type from their content.
func checkFiles(questions []model.Question, uploads map[string]Upload, errs *validator.Errors) map[string]*storage.File {
	files := map[string]*storage.File{}
	for _, q := range questions {
		u, ok := uploads[q.ID]
		if !ok || q.Kind != model.QuestionFile || len(u.Data) == 0 {
			continue
		}
		f, code, message := FileOf(u)
		if f == nil {
			errs.Add(fieldOf(q), code, message)
			continue
		}
		files[q.ID] = f
	}
	return files
}

// FileOf checks an uploaded file (size, and type read from its content: PDF, JPEG or PNG)
// and returns it ready to store, or the error's code and French message.
func FileOf(u Upload) (f *storage.File, code, message string) {
	typ := http.DetectContentType(u.Data)
	switch {
	case len(u.Data) > MaxFileSize:
		return nil, "too_long", i18n.T("apply.file_too_big", MaxFileSize>>20)
	case !acceptedTypes[typ]:
		return nil, "invalid", i18n.T("apply.file_type")
	}
	return &storage.File{Name: cleanName(u.Name), ContentType: typ, Data: u.Data}, "", ""
}

// cleanName keeps a file's base name, without path or control characters.
func cleanName(name string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if name == "" {
		return "fichier"
	}
	if utf8.RuneCountInString(name) > 120 {
		name = string([]rune(name)[:120])
	}
	return name
}

// checkAnswers checks each answer's form; with required, the required ones must be there.
func checkAnswers(questions []model.Question, d Draft, stored map[string]model.Answer, files map[string]*storage.File, required bool) validator.Errors {
	var errs validator.Errors
	for _, q := range questions {
		field, v := fieldOf(q), strings.TrimSpace(d.Answers[q.ID])
		if q.Kind == model.QuestionFile {
			if required && q.Required && files[q.ID] == nil && stored[q.ID].FileID == "" && d.Files[q.ID].Data == nil {
				errs.Add(field, "required", i18n.T("apply.answer_required"))
			}
			continue
		}
		if v == "" {
			if required && q.Required {
				errs.Add(field, "required", i18n.T("apply.answer_required"))
			}
			continue
		}
		n := utf8.RuneCountInString(v)
		switch q.Kind {
		case model.QuestionShortText:
			if n > 200 {
				errs.Add(field, "too_long", i18n.T("validation.too_long", 200))
			}
		case model.QuestionLongText:
			if q.MaxLength > 0 && n > q.MaxLength {
				errs.Add(field, "too_long", i18n.T("apply.too_long", q.MaxLength, n))
			} else if required && q.MinLength > 0 && n < q.MinLength {
				errs.Add(field, "too_short", i18n.T("apply.too_short", q.MinLength, n))
			}
		case model.QuestionYesNo:
			if v != "oui" && v != "non" {
				errs.Add(field, "invalid", i18n.T("validation.choose"))
			}
		case model.QuestionChoice:
			found := false
			for _, c := range q.Choices {
				found = found || c == v
			}
			if !found {
				errs.Add(field, "invalid", i18n.T("validation.choose"))
			}
		case model.QuestionDate:
			if iso, ok := isoDate(v); ok {
				d.Answers[q.ID] = iso
			} else {
				errs.Add(field, "invalid", i18n.T("apply.date"))
			}
		}
	}
	return errs
}

// isoDate reads a date typed 2027-03-15 (a date field) or 15/03/2027 (typed by hand).
func isoDate(v string) (string, bool) {
	for _, layout := range []string{"2006-01-02", "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	return "", false
}

// saveDraft stores what could be read of a draft with errors: the fields and the answers
// that are valid, so that the candidate loses nothing that was correct.
func saveDraft(ctx context.Context, s *storage.Store, a *model.Application, questions []model.Question, d Draft,
	files map[string]*storage.File, errs validator.Errors) error {
	keep := Draft{Answers: map[string]string{}}
	for id, v := range d.Answers {
		if errs.For("q-"+id) == "" {
			keep.Answers[id] = v
		}
	}
	return s.InTx(ctx, func(tx *storage.Store) error { return saveAll(ctx, tx, a, questions, keep, files) })
}

// saveAll writes the application's fields, its answers and its new files.
func saveAll(ctx context.Context, tx *storage.Store, a *model.Application, questions []model.Question, d Draft,
	files map[string]*storage.File) error {
	if err := tx.SaveApplication(ctx, a); err != nil {
		return err
	}
	for _, q := range questions {
		if f, ok := files[q.ID]; ok {
			f.AccountID = a.AccountID
			if err := tx.CreateFile(ctx, f); err != nil {
				return err
			}
			if err := tx.SaveAnswer(ctx, model.Answer{ApplicationID: a.ID, QuestionID: q.ID, Value: f.Name, FileID: f.ID}); err != nil {
				return err
			}
			continue
		}
		if q.Kind == model.QuestionFile {
			continue // no new file: the stored one stays
		}
		if v, ok := d.Answers[q.ID]; ok {
			if err := tx.SaveAnswer(ctx, model.Answer{ApplicationID: a.ID, QuestionID: q.ID, Value: strings.TrimSpace(v)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// pendingMembership records the role the candidate declares in a structure of the
// directory, awaiting the manager's confirmation; a role already known is used as it is.
func pendingMembership(ctx context.Context, tx *storage.Store, a *model.Application) (string, error) {
	if a.StructureID == "" || a.Role == "" || a.PersonID == "" {
		return "", nil
	}
	return tx.EnsureMembership(ctx, &model.Membership{PersonID: a.PersonID, StructureID: a.StructureID, Role: a.Role,
		Status: model.MembershipPending})
}

// confirmationMail queues the e-mail that confirms a submission (or its changes).
func confirmationMail(ctx context.Context, tx *storage.Store, m mail.Site, view storage.CallView, a model.Application, message string) error {
	acc, err := tx.Account(ctx, a.AccountID)
	if err != nil {
		return err
	}
	loc := location(view.Cohort.RegionCode)
	return mail.Queue(ctx, tx, acc.Email, message, map[string]any{
		"Brand": m.Brand, "Name": acc.DisplayName, "Receipt": a.Receipt, "Programme": view.Programme.Title,
		"Cohort": view.Cohort.Label, "SubmittedAt": i18n.DateTimeZone(tx.Clock.Now(), loc),
		"ClosesAt": i18n.DateTimeZone(view.Call.ClosesAt, loc),
		"Link":     m.BaseURL + "/candidatures/" + a.ID,
	}, "")
}

// Withdraw withdraws an application before the call closes.
func Withdraw(ctx context.Context, s *storage.Store, actor directory.Actor, view storage.CallView, a model.Application) error {
	if now := s.Clock.Now(); !view.Call.Open(now) {
		return &ClosedError{Call: view.Call, Region: view.Cohort.RegionCode, Now: now}
	}
	return s.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.WithdrawApplication(ctx, a.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, storage.AuditEntry{AccountID: actor.Principal.AccountID, Action: "application.withdraw",
			SubjectType: "application", SubjectID: a.ID, IP: actor.IP, Details: map[string]any{"via": actor.Via}})
	})
}

// Override records a manager's decision on an application's eligibility, with the written
// reason the audit log keeps.
func Override(ctx context.Context, s *storage.Store, actor directory.Actor, a model.Application, o model.Override, reason string) (validator.Errors, error) {
	var errs validator.Errors
	reason = strings.TrimSpace(reason)
	if o != model.OverrideNone && o != model.OverrideEligible && o != model.OverrideIneligible {
		errs.Add("decision", "invalid", i18n.T("validation.choose"))
	}
	if utf8.RuneCountInString(reason) < 10 {
		errs.Add("reason", "required", i18n.T("apply.override_reason"))
	}
	if errs.Any() {
		return errs, nil
	}
	return nil, s.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.OverrideEligibility(ctx, a.ID, o, reason, actor.Principal.AccountID); err != nil {
			return err
		}
		return tx.Audit(ctx, storage.AuditEntry{AccountID: actor.Principal.AccountID, Action: "application.override",
			SubjectType: "application", SubjectID: a.ID, IP: actor.IP,
			Details: map[string]any{"decision": string(o), "reason": reason, "by_rules": a.Eligible, "via": actor.Via}})
	})
}

// ConfirmRole confirms the role a candidate declared in their structure.
func ConfirmRole(ctx context.Context, s *storage.Store, actor directory.Actor, a model.Application) error {
	if a.MembershipID == "" {
		return storage.ErrNotFound
	}
	return s.InTx(ctx, func(tx *storage.Store) error {
		if err := tx.ConfirmMembership(ctx, a.MembershipID); err != nil {
			return err
		}
		return tx.Audit(ctx, storage.AuditEntry{AccountID: actor.Principal.AccountID, Action: "membership.confirm",
			SubjectType: "application", SubjectID: a.ID, IP: actor.IP,
			Details: map[string]any{"membership": a.MembershipID, "via": actor.Via}})
	})
}

// Receipt is how the receipt page and e-mails name an application.
func Receipt(a model.Application) string { return fmt.Sprintf("n° %s", a.Receipt) }

// Reminders go to the holders of a draft 48 hours and 2 hours before the call closes: the
// first while the call closes in (2 h, 48 h], the second in (0, 2 h].
var reminders = []struct {
	key          string
	within, from time.Duration
}{
	{"48h", 48 * time.Hour, 2 * time.Hour},
	{"2h", 2 * time.Hour, 0},
}

// SendReminders queues the reminders due now. Each goes once per draft, whichever instance
// sends it and however often this runs (the outbox's dedupe key).
func SendReminders(ctx context.Context, s *storage.Store, m mail.Site) (int, error) {
	now := s.Clock.Now()
	queued := 0
	for _, r := range reminders {
		drafts, err := s.DraftsClosingBetween(ctx, now.Add(r.from), now.Add(r.within))
		if err != nil {
			return queued, err
		}
		for _, d := range drafts {
			loc := location(d.Call.Cohort.RegionCode)
			name := d.Person.FirstName + " " + d.Person.LastName
			if d.Person.ID == "" {
				name = d.Email
			}
			err := mail.Queue(ctx, s, d.Email, "application_reminder", map[string]any{
				"Brand": m.Brand, "Name": strings.TrimSpace(name), "Programme": d.Call.Programme.Title,
				"Cohort": d.Call.Cohort.Label, "ClosesAt": i18n.DateTimeZone(d.Call.Call.ClosesAt, loc),
				"Link": m.BaseURL + "/candidatures/" + d.Application.ID,
			}, "reminder-"+r.key+":"+d.Application.ID)
			if err != nil {
				return queued, err
			}
			queued++
		}
	}
	return queued, nil
}
