package server

import "parcours/internal/policy"

// routes is the route table: every page and API endpoint, with the policy action it performs.
// A route without an action cannot be registered; an action without a rule in
// internal/policy is allowed to nobody.
func (s *Server) routes() {
	rt, u, a := s.router, s.UI, s.API

	// Operations and assets: open to anyone.
	rt.handle("GET /healthz", policy.Public, s.healthz)
	rt.handle("GET /readyz", policy.Public, s.readyz)
	rt.handle("GET /metrics", policy.Public, s.metrics.handler().ServeHTTP)
	rt.handle("GET /static/{file...}", policy.Public, u.Static)

	// Logging in and out, choosing a password.
	rt.handle("GET /connexion", policy.Public, u.LoginForm)
	rt.handle("POST /connexion", policy.Public, u.Login)
	rt.handle("POST /deconnexion", policy.Authenticated, u.Logout)
	rt.handle("GET /mot-de-passe/oubli", policy.Public, u.PasswordForgotForm)
	rt.handle("POST /mot-de-passe/oubli", policy.Public, u.PasswordForgot)
	rt.handle("GET /mot-de-passe/nouveau", policy.Public, u.PasswordResetForm)
	rt.handle("POST /mot-de-passe/nouveau", policy.Public, u.PasswordReset)

	// Home and the caller's own account.
	rt.handle("GET /{$}", policy.Authenticated, u.Home)
	rt.handle("GET /compte", policy.Authenticated, u.AccountSelf)
	rt.handle("POST /compte/jetons", policy.Authenticated, u.TokenCreate)
	rt.handle("POST /compte/jetons/{id}/revoquer", policy.Authenticated, u.TokenRevoke)

	// Territory.
	rt.handle("GET /regions", policy.ReadTerritory, u.RegionList)
	rt.handle("GET /regions/{code}", policy.ReadTerritory, u.RegionShow)

	// Structures, their import and their members.
	rt.handle("GET /structures", policy.ReadStructures, u.StructureList)
	rt.handle("GET /structures/nouvelle", policy.WriteStructures, u.StructureNew)
	rt.handle("POST /structures", policy.WriteStructures, u.StructureCreate)
	rt.handle("GET /structures/import", policy.ImportStructures, u.ImportForm)
	rt.handle("POST /structures/import", policy.ImportStructures, u.ImportUpload)
	rt.handle("GET /imports/{job}", policy.ImportStructures, u.ImportShow)
	rt.handle("POST /imports/{job}/appliquer", policy.ImportStructures, u.ImportApply)
	rt.handle("GET /structures/{id}", policy.ReadStructures, u.StructureShow)
	rt.handle("GET /structures/{id}/modifier", policy.WriteStructures, u.StructureEdit)
	rt.handle("POST /structures/{id}", policy.WriteStructures, u.StructureUpdate)
	rt.handle("GET /structures/{id}/supprimer", policy.WriteStructures, u.StructureDeleteConfirm)
	rt.handle("POST /structures/{id}/supprimer", policy.WriteStructures, u.StructureDelete)
	rt.handle("GET /structures/{id}/membres/nouveau", policy.WritePeople, u.MembershipNew)
	rt.handle("POST /structures/{id}/membres", policy.WritePeople, u.MembershipCreate)
	rt.handle("POST /structures/{id}/membres/{membership}/supprimer", policy.WritePeople, u.MembershipDelete)

	// People.
	rt.handle("GET /personnes", policy.ReadPeople, u.PersonList)
	rt.handle("GET /personnes/nouvelle", policy.WritePeople, u.PersonNew)
	rt.handle("POST /personnes", policy.WritePeople, u.PersonCreate)
	rt.handle("GET /personnes/{id}", policy.ReadPeople, u.PersonShow)
	rt.handle("GET /personnes/{id}/modifier", policy.WritePeople, u.PersonEdit)
	rt.handle("POST /personnes/{id}", policy.WritePeople, u.PersonUpdate)

	// Calls for applications, public; signing up.
	rt.handle("GET /appels", policy.Public, u.CallList)
	rt.handle("GET /appels/{id}", policy.Public, u.CallShow)
	rt.handle("GET /inscription", policy.Public, u.SignupForm)
	rt.handle("POST /inscription", policy.Public, u.Signup)
	rt.handle("GET /inscription/verification", policy.Public, u.VerifyEmail)
	rt.handle("POST /inscription/renvoyer", policy.Authenticated, u.ResendVerification)

	// Candidates: their own applications only.
	rt.handle("POST /appels/{id}/candidater", policy.Apply, u.ApplicationStart)
	rt.handle("GET /candidatures", policy.Apply, u.ApplicationList)
	rt.handle("GET /candidatures/{id}", policy.Apply, u.ApplicationEdit)
	rt.handle("POST /candidatures/{id}", policy.Apply, u.ApplicationSave)
	rt.handle("GET /candidatures/{id}/recu", policy.Apply, u.ApplicationReceipt)
	rt.handle("GET /candidatures/{id}/retrait", policy.Apply, u.ApplicationWithdrawConfirm)
	rt.handle("POST /candidatures/{id}/retrait", policy.Apply, u.ApplicationWithdraw)
	rt.handle("GET /fichiers/{id}", policy.Authenticated, u.FileDownload) // the owner, or who reads the call's applications

	// Programmes, cohorts, calls and their questions: the training organisation's managers.
	rt.handle("GET /programmes", policy.ManageProgrammes, u.ProgrammeList)
	rt.handle("GET /programmes/nouveau", policy.ManageProgrammes, u.ProgrammeNew)
	rt.handle("POST /programmes", policy.ManageProgrammes, u.ProgrammeCreate)
	rt.handle("GET /programmes/{id}", policy.ManageProgrammes, u.ProgrammeShow)
	rt.handle("GET /programmes/{id}/modifier", policy.ManageProgrammes, u.ProgrammeEdit)
	rt.handle("POST /programmes/{id}", policy.ManageProgrammes, u.ProgrammeUpdate)
	rt.handle("GET /programmes/{id}/modules", policy.ManageProgrammes, u.ProgrammeModulesEdit)
	rt.handle("POST /programmes/{id}/modules", policy.ManageProgrammes, u.ProgrammeModulesSave)
	rt.handle("GET /programmes/{id}/deploiement", policy.ManageProgrammes, u.ProgrammeDeploymentEdit)
	rt.handle("POST /programmes/{id}/deploiement", policy.ManageProgrammes, u.ProgrammeDeploymentSave)
	rt.handle("GET /programmes/{id}/promotions/nouvelle", policy.ManageProgrammes, u.CohortNew)
	rt.handle("POST /programmes/{id}/promotions", policy.ManageProgrammes, u.CohortCreate)
	rt.handle("GET /promotions/{id}", policy.ManageProgrammes, u.CohortShow)
	rt.handle("GET /promotions/{id}/modifier", policy.ManageProgrammes, u.CohortEdit)
	rt.handle("POST /promotions/{id}", policy.ManageProgrammes, u.CohortUpdate)
	rt.handle("GET /promotions/{id}/appels/nouveau", policy.ManageProgrammes, u.CallNew)
	rt.handle("POST /promotions/{id}/appels", policy.ManageProgrammes, u.CallCreate)
	rt.handle("GET /appels/{id}/modifier", policy.ManageProgrammes, u.CallEdit)
	rt.handle("POST /appels/{id}", policy.ManageProgrammes, u.CallUpdate)
	rt.handle("GET /appels/{id}/questions", policy.ManageProgrammes, u.QuestionList)
	rt.handle("POST /appels/{id}/questions", policy.ManageProgrammes, u.QuestionCreate)
	rt.handle("GET /questions/{id}/modifier", policy.ManageProgrammes, u.QuestionEdit)
	rt.handle("POST /questions/{id}", policy.ManageProgrammes, u.QuestionUpdate)
	rt.handle("POST /questions/{id}/supprimer", policy.ManageProgrammes, u.QuestionDelete)
	rt.handle("POST /questions/{id}/deplacer", policy.ManageProgrammes, u.QuestionMove)

	// A call's applications, for its managers; the figures, for those who follow the calls.
	rt.handle("GET /appels/{id}/candidatures", policy.ReadApplications, u.CallApplications)
	rt.handle("GET /appels/{id}/candidatures.csv", policy.ReadApplications, u.CallApplicationsCSV)
	rt.handle("GET /appels/{id}/candidatures.xlsx", policy.ReadApplications, u.CallApplicationsXLSX)
	rt.handle("GET /gestion/candidatures/{id}", policy.ReadApplications, u.ApplicationReview)
	rt.handle("POST /gestion/candidatures/{id}/eligibilite", policy.JudgeEligibility, u.ApplicationOverride)
	rt.handle("POST /gestion/candidatures/{id}/role", policy.JudgeEligibility, u.ApplicationConfirmRole)
	rt.handle("GET /suivi/appels", policy.FollowCalls, u.CallFollow)

	// A call's committee and the composition of its cohort, for its managers.
	rt.handle("GET /appels/{id}/comite", policy.ComposeCohort, u.CommitteeManage)
	rt.handle("POST /appels/{id}/comite/membres", policy.ComposeCohort, u.CommitteeMemberAdd)
	rt.handle("POST /appels/{id}/comite/membres/{member}/president", policy.ComposeCohort, u.CommitteeChair)
	rt.handle("POST /appels/{id}/comite/membres/{member}/retirer", policy.ComposeCohort, u.CommitteeMemberRemove)
	rt.handle("POST /appels/{id}/comite/conflits", policy.ComposeCohort, u.CommitteeConflict)
	rt.handle("POST /appels/{id}/comite/reglages", policy.ComposeCohort, u.CommitteeSettings)
	rt.handle("GET /appels/{id}/comite/grille", policy.ComposeCohort, u.CommitteeGridEdit)
	rt.handle("POST /appels/{id}/comite/grille", policy.ComposeCohort, u.CommitteeGridSave)
	rt.handle("POST /appels/{id}/comite/repartition", policy.ComposeCohort, u.CommitteeDistribute)
	rt.handle("POST /appels/{id}/comite/affectations", policy.ComposeCohort, u.CommitteeAssign)
	rt.handle("GET /appels/{id}/composition", policy.ComposeCohort, u.CompositionShow)
	rt.handle("POST /appels/{id}/composition", policy.ComposeCohort, u.CompositionSend)
	rt.handle("POST /appels/{id}/composition/reglages", policy.ComposeCohort, u.CompositionSettings)
	rt.handle("GET /appels/{id}/composition.csv", policy.ComposeCohort, u.CompositionCSV)
	rt.handle("GET /appels/{id}/composition.xlsx", policy.ComposeCohort, u.CompositionXLSX)
	rt.handle("POST /gestion/candidatures/{id}/structure", policy.ComposeCohort, u.ApplicationResolveStructure)
	rt.handle("POST /gestion/offres/{id}/retirer", policy.ComposeCohort, u.OfferWithdrawByManager)

	// Committee members: the committees they sit on, never an application they are in conflict with.
	rt.handle("GET /comites", policy.Review, u.ReviewerCommittees)
	rt.handle("GET /comites/{id}", policy.Review, u.ReviewerCommittee)
	rt.handle("GET /comites/{id}/candidatures/{application}", policy.Review, u.EvaluationShow)
	rt.handle("POST /comites/{id}/candidatures/{application}", policy.Review, u.EvaluationSave)
	rt.handle("POST /comites/{id}/candidatures/{application}/conflit", policy.Review, u.EvaluationConflict)
	rt.handle("GET /comites/{id}/classement", policy.Review, u.ReviewerRanking)
	rt.handle("POST /comites/{id}/cloture", policy.Review, u.ReviewerClose)

	// Candidates: the seats offered to them.
	rt.handle("GET /offres/{id}", policy.Apply, u.OfferShow)
	rt.handle("POST /offres/{id}/reponse", policy.Apply, u.OfferAnswer)
	rt.handle("POST /offres/{id}/desistement", policy.Apply, u.OfferGiveUp)

	// A cohort's calendar, trainers, convocations and attendance, for its managers.
	rt.handle("GET /promotions/{id}/calendrier", policy.ManageCalendar, u.CalendarManage)
	rt.handle("POST /promotions/{id}/calendrier/generer", policy.ManageCalendar, u.CalendarGenerate)
	rt.handle("GET /promotions/{id}/journees/nouvelle", policy.ManageCalendar, u.DayNew)
	rt.handle("POST /promotions/{id}/journees", policy.ManageCalendar, u.DayCreate)
	rt.handle("GET /journees/{id}/modifier", policy.ManageCalendar, u.DayEdit)
	rt.handle("POST /journees/{id}", policy.ManageCalendar, u.DayUpdate)
	rt.handle("POST /journees/{id}/supprimer", policy.ManageCalendar, u.DayDelete)
	rt.handle("POST /promotions/{id}/formateurs", policy.ManageCalendar, u.CalendarTrainerAdd)
	rt.handle("POST /promotions/{id}/formateurs/{account}/retirer", policy.ManageCalendar, u.CalendarTrainerRemove)
	rt.handle("POST /promotions/{id}/convocations", policy.ManageCalendar, u.CalendarConvocations)
	rt.handle("GET /promotions/{id}/assiduite", policy.ManageCalendar, u.AttendanceGrid)
	rt.handle("GET /promotions/{id}/assiduite.xlsx", policy.ManageCalendar, u.AttendanceXLSX)
	rt.handle("GET /promotions/{id}/apprenants/{enrolment}/{doc}", policy.ManageCalendar, u.LearnerDocument)

	// A half-day's sheet, for the cohort's trainers and managers (checked against the cohort).
	rt.handle("GET /formateur", policy.TakeAttendance, u.TrainerHome)
	rt.handle("GET /demi-journees/{id}", policy.TakeAttendance, u.HalfDayShow)
	rt.handle("GET /demi-journees/{id}/qr", policy.TakeAttendance, u.HalfDaySigning)
	rt.handle("GET /demi-journees/{id}/feuille.pdf", policy.TakeAttendance, u.HalfDayPDF)
	rt.handle("POST /demi-journees/{id}/marques", policy.TakeAttendance, u.HalfDayMark)
	rt.handle("POST /demi-journees/{id}/contresignature", policy.TakeAttendance, u.HalfDayCountersign)
	rt.handle("POST /demi-journees/{id}/corrections", policy.TakeAttendance, u.HalfDayCorrect) // managers only, checked

	// Learners: their calendar, signatures, attendance and documents (checked against their enrolment).
	rt.handle("GET /mon-parcours", policy.Attend, u.LearnerCalendar)
	rt.handle("GET /mon-parcours/assiduite", policy.Attend, u.LearnerAttendance)
	rt.handle("GET /mon-parcours/{id}/{doc}", policy.Attend, u.LearnerDocumentOwn)
	rt.handle("GET /emargement/{id}", policy.Attend, u.SignShow)
	rt.handle("POST /emargement/{id}", policy.Attend, u.Sign)
	rt.handle("GET /emargement/{id}/fait", policy.Attend, u.SignDone)

	// Calendar feeds: public by their secret address; renewed by their owner.
	rt.handle("GET /calendrier/{file}", policy.Public, u.CalendarFeed)
	rt.handle("POST /calendrier/renouveler", policy.Authenticated, u.FeedRenew)

	// Administration: accounts and roles, the outbox.
	rt.handle("GET /admin/comptes", policy.ManageAccounts, u.AccountList)
	rt.handle("GET /admin/comptes/nouveau", policy.ManageAccounts, u.AccountNew)
	rt.handle("POST /admin/comptes", policy.ManageAccounts, u.AccountCreate)
	rt.handle("GET /admin/comptes/{id}", policy.ManageAccounts, u.AccountShow)
	rt.handle("POST /admin/comptes/{id}/roles", policy.ManageAccounts, u.AccountGrant)
	rt.handle("POST /admin/comptes/{id}/roles/retirer", policy.ManageAccounts, u.AccountRevoke)
	rt.handle("GET /admin/courriels", policy.ReadOperations, u.OutboxList)

	// JSON API (bearer tokens), described by its OpenAPI document.
	rt.handle("GET /api/v1/openapi.json", policy.Public, a.OpenAPI)
	rt.handle("GET /api/v1/me", policy.Authenticated, a.Me)
	rt.handle("GET /api/v1/regions", policy.ReadTerritory, a.RegionList)
	rt.handle("GET /api/v1/regions/{code}", policy.ReadTerritory, a.RegionShow)
	rt.handle("GET /api/v1/structures", policy.ReadStructures, a.StructureList)
	rt.handle("POST /api/v1/structures", policy.WriteStructures, a.StructureCreate)
	rt.handle("GET /api/v1/structures/{id}", policy.ReadStructures, a.StructureShow)
	rt.handle("PUT /api/v1/structures/{id}", policy.WriteStructures, a.StructureUpdate)
	rt.handle("DELETE /api/v1/structures/{id}", policy.WriteStructures, a.StructureDelete)
	rt.handle("GET /api/v1/structures/{id}/members", policy.ReadPeople, a.MemberList)
	rt.handle("GET /api/v1/people", policy.ReadPeople, a.PersonList)
	rt.handle("POST /api/v1/people", policy.WritePeople, a.PersonCreate)
	rt.handle("GET /api/v1/people/{id}", policy.ReadPeople, a.PersonShow)
	rt.handle("PUT /api/v1/people/{id}", policy.WritePeople, a.PersonUpdate)
	rt.handle("POST /api/v1/memberships", policy.WritePeople, a.MembershipCreate)
	rt.handle("DELETE /api/v1/memberships/{id}", policy.WritePeople, a.MembershipDelete)
	rt.handle("GET /api/v1/programmes", policy.ManageProgrammes, a.ProgrammeList)
	rt.handle("GET /api/v1/programmes/{id}", policy.ManageProgrammes, a.ProgrammeShow)
	rt.handle("GET /api/v1/programmes/{id}/cohorts", policy.ManageProgrammes, a.ProgrammeCohorts)
	rt.handle("GET /api/v1/cohorts/{id}", policy.ManageProgrammes, a.CohortShow)
	rt.handle("GET /api/v1/calls", policy.Public, a.CallList)
	rt.handle("GET /api/v1/calls/{id}", policy.Public, a.CallShow) // an unpublished call: its managers only
	rt.handle("GET /api/v1/calls/{id}/applications", policy.ReadApplications, a.CallApplications)
	rt.handle("GET /api/v1/applications", policy.Apply, a.ApplicationList)
	rt.handle("GET /api/v1/applications/{id}", policy.Authenticated, a.ApplicationShow) // its candidate, or who reads the call's applications

	// JSON API: cohort calendars and attendance, with the pages' policy (cohorts checked in the handlers).
	rt.handle("GET /api/v1/cohorts/{id}/days", policy.Authenticated, a.CohortDays) // its managers, trainers and learners
	rt.handle("GET /api/v1/me/days", policy.Authenticated, a.MyDays)
	rt.handle("GET /api/v1/cohorts/{id}/attendance", policy.TakeAttendance, a.CohortAttendance)
	rt.handle("GET /api/v1/half-days/{id}/attendance", policy.TakeAttendance, a.HalfDayAttendance)
	rt.handle("PUT /api/v1/half-days/{id}/attendance/{enrolment}", policy.TakeAttendance, a.AttendanceMark) // once countersigned: its managers only
	rt.handle("POST /api/v1/half-days/{id}/countersignature", policy.TakeAttendance, a.Countersign)
	rt.handle("POST /api/v1/half-days/{id}/signature", policy.Attend, a.Sign)
}
