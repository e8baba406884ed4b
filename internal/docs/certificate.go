package docs

import "strings"

// Certificate is the certificate of completion (certificat de réalisation) that the
// training organisation signs for a funder: who followed which action, when, and for how
// many hours out of those planned. Its sentences follow the Ministry of Labour's model.
type Certificate struct {
	Stamp
	Organisation Organisation

	Learner   string
	Structure string // optional: the learner's employer or structure

	Programme     string // the action's title
	From          string // e.g. "4 février 2027"
	To            string // e.g. "27 mai 2028"
	HoursAttended string // e.g. "136,5 heures"
	HoursPlanned  string // e.g. "273 heures"

	Place         string // where it is signed, e.g. "Marseille"
	Date          string // when, e.g. "30 mai 2028"
	Signatory     string // the organisation's legal representative, e.g. "Claire Dupré"
	SignatoryRole string // e.g. "directrice"
}

// Organisation is the training organisation that delivers the action (le dispensateur).
type Organisation struct {
	Name    string
	Address string // several lines separated by "\n"
	SIRET   string // optional
	NDA     string // optional: numéro de déclaration d'activité
}

// PDF renders the certificate on one page (two if the texts are very long).
func (c Certificate) PDF() ([]byte, error) {
	p, err := newPage(c.Stamp, certTitle, strings.Join(nonEmpty(certTitle, c.Learner), " — "))
	if err != nil {
		return nil, err
	}
	o := c.Organisation
	p.paragraph(o.Name, true)
	if o.Address != "" {
		p.paragraph(o.Address, false)
	}
	if o.SIRET != "" {
		p.paragraph(label(certSIRET)+" "+o.SIRET, false)
	}
	if o.NDA != "" {
		p.paragraph(certNDA+" "+o.NDA, false)
	}
	p.f.Ln(8)
	p.f.SetFont(family, "B", 16)
	p.lines(p.wrap(strings.ToUpper(certTitle), p.width), 8, "C")
	p.f.Ln(8)

	p.paragraph(certUndersigned(c.Signatory, c.SignatoryRole, o.Name), false)
	p.f.Ln(3)
	learner := c.Learner
	if c.Structure != "" {
		learner += " (" + c.Structure + ")"
	}
	p.paragraph(learner, true)
	p.f.Ln(3)
	p.paragraph(certFollowed(c.Programme), false)
	p.paragraph(label(certNature)+" "+certNatureIs, false)
	p.paragraph(certPeriod(c.From, c.To, c.HoursAttended, c.HoursPlanned), false)
	p.f.Ln(5)
	p.f.SetFont(family, "", 8.5)
	p.lines(p.wrap(certRetention, p.width), 4.2, "L")
	p.f.Ln(8)

	// The signature block stays together: place and date, name, role and the stamp's box.
	const box = 32.0
	p.need(lineHeight + 0.4 + 3 + 3*lineHeight + box)
	if c.Place != "" || c.Date != "" {
		p.paragraph(certDoneAt(c.Place, c.Date), false)
		p.f.Ln(3)
	}
	x, half := margin+p.width/2, p.width/2
	for _, it := range []struct {
		text  string
		style string
		size  float64
	}{{c.Signatory, "B", bodySize}, {c.SignatoryRole, "", bodySize}, {certStamp, "", smallSize}} {
		if it.text == "" {
			continue
		}
		p.f.SetFont(family, it.style, it.size)
		p.f.SetX(x)
		p.lines(p.wrap(it.text, half), lineHeight, "L")
	}
	p.f.SetDrawColor(150, 150, 150)
	p.f.Rect(x, p.f.GetY(), half, box, "D")
	return p.bytes()
}
