"""Invented people, places and words for the demo database. No real person or address:
Northmere is a made-up town and NM is not a postcode area."""

from __future__ import annotations

from crm_tui.domain.categories import BehaviourCategory as B
from crm_tui.domain.roles import Role

DEMO_USERS = (
    # login, name, title, role, service area; the user administrator first: they add the rest
    ("morgan.price", "Morgan Price", "User administrator, ICT Services", Role.USER_ADMIN, None),
    ("ceri.hughes", "Ceri Hughes", "Complaints Resolution Manager", Role.CRM, None),
    ("tomasz.nowak", "Tomasz Nowak", "Complaints Resolution Officer", Role.OFFICER, None),
    ("priya.raman", "Priya Raman", "Head of Service, Legal Services Partnership",
     Role.HEAD_OF_SERVICE, None),
    ("gareth.bell", "Gareth Bell", "Service Director, Legal & Business Operations",
     Role.SERVICE_DIRECTOR, None),
    ("hannah.okafor", "Hannah Okafor", "Housing Services Manager", Role.SERVICE_AREA_MANAGER,
     "Housing Services"),
    ("liam.doyle", "Liam Doyle", "Council Tax and Benefits Manager",
     Role.SERVICE_AREA_MANAGER, "Council Tax and Benefits"),
)
# Direct telephone and email of the staff a letter may name as the customer's contact (the
# single point of contact, the named officer): Ofcom's drama numbers, an invented domain.
DEMO_DIRECT_DETAILS = {
    "ceri.hughes": ("01632 960401", "ceri.hughes@northmere.example.gov.uk"),
    "tomasz.nowak": ("01632 960412", "tomasz.nowak@northmere.example.gov.uk"),
    "hannah.okafor": ("01632 960233", "hannah.okafor@northmere.example.gov.uk"),
    "liam.doyle": ("01632 960278", "liam.doyle@northmere.example.gov.uk"),
}
DEMO_CRM = "ceri.hughes"
DEMO_ADMIN = DEMO_USERS[0][0]

STREETS = ("Larkspur Close", "Quayside Walk", "Fenwick Terrace", "Old Mill Lane",
           "Saltmarsh Road", "Beacon Rise", "Tannery Row", "Heronsgate", "Copperfield Way",
           "Abbotsmead", "Ropewalk Street", "Kestrel Court", "Orchard Vale", "Pilgrim Street")
DISTRICTS = ("Eastwick", "Harbourside", "St Aldric's", "Westfold", "Brackley End", "Saltings")

# name, personal circumstances, reasonable adjustments, contact needs (as the equality check
# reads them)
CUSTOMERS = (
    ("Mrs Vera Quillfeather", "Lives alone; recently bereaved.", "", ""),
    ("Mr Desmond Arkwright-Pole", "", "", ""),
    ("Ms Siân Cadwaladr-Rees", "Carer for an adult son.", "Letters in large print (16pt).",
     "large_print"),
    ("Mr Łukasz Wierzbicki", "English is a second language.",
     "Offer an interpreter for meetings.", "interpreter"),
    ("Mx Ngọc Trâm Vũ", "", "", ""),
    ("Mr Barnaby Thistlewood", "Reports anxiety when on the telephone.",
     "Prefers contact by telephone at agreed times.", "telephone"),
    ("Mrs Philippa Gorringe-Hale", "", "", ""),
    ("Mr Oswin Cattermole", "Has a visual impairment.",
     "Documents by email in an accessible format.", "email"),
    ("Ms Imelda Fairbrother", "", "", ""),
    ("Mr Thaddeus Penhaligon", "", "", ""),
    ("Mrs Oonagh McAlinden-Fry", "Housebound since an operation.", "Home visits if needed.",
     "face_to_face"),
    ("Mr Percival Dunwoody", "", "", ""),
    ("Dr Rosalind Achterberg", "", "", ""),
    ("Mr Cornelius Blythe-Amory", "Dyslexia.",
     "Short letters in plain English; finds it easier to telephone than to write.",
     "plain_english,telephone"),
    ("Mrs Winifred Skelmersdale", "", "", ""),
    ("Mr Ambrose Tregothnan", "", "", ""),
    ("Ms Lavinia Corrigan-Stowe", "", "", ""),
    ("Mr Jedediah Marchbanks", "", "", ""),
    ("Mrs Euphemia Lorimer", "Uses a wheelchair.", "Step-free meeting rooms.", ""),
    ("Mr Ignatius Wolstenholme", "", "", ""),
    ("Ms Henrietta Quarles", "", "", ""),
    ("Mr Fitzroy Abernethy-Cole", "", "", ""),
)

INBOUND_SUMMARIES = {
    B.SCATTERGUN: (
        "Same repair complaint sent to housing, the councillor and the MP's office",
        "Copied seven officers into an email about the closed parking appeal",
        "Rang three teams in one morning about the same invoice",
    ),
    B.EXCESSIVE_DEMANDS: (
        "Fourth call today asking for an update on the same request",
        "Twelve-page letter repeating earlier points; asks for a reply within 24 hours",
        "Emailed at 07:10, 09:45, 11:30 and 15:05 chasing the same answer",
    ),
    B.OFFENSIVE_REMARKS: (
        "Called the officer 'useless' and said they would 'make sure you lose your job'",
        "Sarcastic remarks about the team in an email to all councillors",
    ),
    B.REPEAT_COMPLAINTS: (
        "New complaint about the 2024 boundary fence decision, already through stage 2",
        "Resubmitted the closed complaint with a new title",
    ),
    B.OUTSIDE_POLICY: (
        "Insists the Director visits personally before any reply",
    ),
    B.CHANGING_BASIS: (
        "Now says the complaint is about staff conduct, not the missed collection",
    ),
    B.TRIVIAL_LATE_INFO: (
        "Sent photographs of a different property months after the decision",
    ),
    B.NUMEROUS_QUESTIONS: (
        "Thirty-one numbered questions about the contractor's van mileage",
        "Asked for the names, grades and start dates of every officer in the team",
    ),
    B.FALSIFIED_DOCUMENTS: (
        "Submitted a rent statement that does not match council records",
    ),
    B.REFUSING_DECISION: (
        "Rejects the Ombudsman's final decision and demands the case is reopened",
    ),
    B.OUTSIDE_RESPONSIBILITY: (
        "Demands the council repairs a privately owned road",
    ),
    B.OUTSIDE_REMIT: (
        "Insists the council prosecutes a neighbour over a civil boundary dispute",
    ),
    B.GROUNDLESS_STAFF_COMPLAINTS: (
        "Third complaint this month asking for the caseworker to be dismissed",
    ),
    B.RECORDING_WITHOUT_CONSENT: (
        "Posted a recording of a phone call with the officer on social media",
    ),
}
# Said of any service area (a case's contacts reach other departments too). Each keeps the
# channel words of the line it replaced, so that the demo's random draws stay as they were.
ORDINARY_SUMMARIES = (
    "Asked for a copy of the latest letter",
    "Reported a change of address for correspondence",
    "Asked for an update on the complaint",
    "Asked who is dealing with the case now",
)
OUTBOUND_SUMMARIES = (
    "Acknowledged the email and referred to the single point of contact",
    "Letter explaining the decision and the complaint procedure",
    "Weekly update call as agreed in the way forward",
    "Reminded the customer of the agreed contact arrangements",
)
OFFICERS = ("Aisha Karim", "Ben Latham", "Carys Pugh", "Dev Mistry", "Elin Rowe",
            "Fergus Nairn", "Gita Shah", "Hamish Ure")
DEPARTMENTS = ("Highways and Parking", "Councillor casework", "Legal Services",
               "Customer Contact Centre", "Planning and Building Control")

# (matter, how it was dealt with): the issues behind the demo customers' contact, by the
# case's service area, so that a council tax case is about council tax. Five closed and three
# open for every area: the demo draws one of each by position.
MATTERS: dict[str, tuple[tuple[str, str], ...]] = {
    "Housing Services": (
        ("Gutter repair",
         "Stage 2 complaint answered; the gutter was repaired and the repair inspected"),
        ("Rent arrears on the tenancy account",
         "Stage 2 complaint answered; the account was correct and a payment plan offered"),
        ("Transfer request to a ground-floor flat",
         "Stage 2 complaint answered; the banding was right and the appeal route explained"),
        ("Mould in the bathroom",
         "Treated and inspected; no return of the mould at the six-week check"),
        ("Conduct of the repairs officer",
         "Investigated at stage 2; no fault found in the officer's conduct"),
    ),
    "Council Tax and Benefits": (
        ("Council tax bill 2025/26",
         "Stage 2 complaint answered; the bill was correct and the tribunal route explained"),
        ("Single person discount removed",
         "Stage 2 complaint answered; the discount ended correctly when a second adult moved "
         "in"),
        ("Housing benefit overpayment",
         "Stage 2 complaint answered; the overpayment stands and the appeal route explained"),
        ("Summons costs for council tax arrears",
         "Decided by the magistrates; the costs stand"),
        ("Conduct of the benefits assessor",
         "Investigated at stage 2; no fault found in the assessor's conduct"),
    ),
    "Planning and Building Control": (
        ("Neighbour's extension",
         "Stage 2 complaint answered; the extension was built as permitted"),
        ("Planning application fee",
         "Stage 2 complaint answered; the fee was correct"),
        ("Enforcement against a shed",
         "Investigated; the shed is permitted development and no breach was found"),
        ("Tree preservation order on the boundary oak",
         "Stage 2 complaint answered; the order stands"),
        ("Conduct of the planning officer",
         "Investigated at stage 2; no fault found in the officer's conduct"),
    ),
    "Waste and Recycling": (
        ("Bin collections missed in the street",
         "Collections reviewed with the crew; no missed collections found over six weeks"),
        ("Charge for a replacement bin",
         "Stage 2 complaint answered; the charge was correct"),
        ("Assisted collection refused",
         "Stage 2 complaint answered; assisted collection granted from the next round"),
        ("Fly-tipping in the back lane",
         "Cleared, and the lane checked weekly for six weeks"),
        ("Conduct of the collection crew",
         "Investigated at stage 2; no fault found in the crew's conduct"),
    ),
    "Adult Social Care": (
        ("Charges for home care",
         "Stage 2 complaint answered; the financial assessment was correct"),
        ("Care package hours",
         "Reassessed; the hours meet the assessed needs"),
        ("Delay in an occupational therapy visit",
         "Stage 2 complaint answered; the visit was made and an apology given"),
        ("Direct payment audit",
         "Stage 2 complaint answered; the audit was carried out as the agreement allows"),
        ("Conduct of the social worker",
         "Investigated at stage 2; no fault found in the social worker's conduct"),
    ),
    "Highways and Parking": (
        ("Parking penalty on Old Mill Lane",
         "Appeal decided by the independent adjudicator; the penalty stands"),
        ("Pothole on the approach road",
         "Inspected and repaired within the policy's time"),
        ("Residents' parking permit refused",
         "Stage 2 complaint answered; the address is outside the zone"),
        ("Street light out on the cul-de-sac",
         "Repaired; the report and the repair dates explained"),
        ("Conduct of the civil enforcement officer",
         "Investigated at stage 2; no fault found in the officer's conduct"),
    ),
}
OPEN_MATTERS: dict[str, tuple[str, ...]] = {
    "Housing Services": ("Damp in the back bedroom", "Request for copies of all case records",
                         "Noise from the neighbouring property"),
    "Council Tax and Benefits": ("Council tax bill 2026/27",
                                 "Request for copies of all case records",
                                 "Council tax reduction backdating"),
    "Planning and Building Control": ("Hedge height next door",
                                      "Request for copies of all case records",
                                      "Building control inspection of the garage"),
    "Waste and Recycling": ("Garden waste subscription",
                            "Request for copies of all case records",
                            "Bins left on the pavement"),
    "Adult Social Care": ("Review of the care plan", "Request for copies of all case records",
                         "Respite care for the carer"),
    "Highways and Parking": ("Dropped kerb application", "Request for copies of all case records",
                             "Speeding on the estate road"),
}

# The extreme case (the policy's Scope): a customer of its own, so that the other stories keep
# their people. (name, address lines, postcode, email, telephone)
EXTREME_CUSTOMER = ("Mr Hartley Vane-Osgood", ("27 Gallowtree Yard", "Westfold", "Northmere"),
                    "NM3 7HX", "h.vaneosgood@example.org", "07700 900614")
# What the service area's log sheets showed before the referral: (days ago, hour, minute,
# channel, summary, behaviour). The threats to one officer, ending at the reception desk.
EXTREME_CONTACTS = (
    (362, 10, 15, "telephone", "Shouted at the housing officer about the repairs list and said "
                               "he knows where she parks", B.OFFENSIVE_REMARKS),
    (358, 22, 40, "email", "Email to the housing officer: 'you will regret this', naming the "
                           "village she lives in", B.OFFENSIVE_REMARKS),
    (353, 23, 5, "email", "Three emails overnight repeating the threat to the housing officer",
     B.OFFENSIVE_REMARKS),
    (350, 9, 20, "telephone", "Called the contact centre five times asking which days the "
                              "housing officer works", B.EXCESSIVE_DEMANDS),
    (347, 14, 30, "face_to_face", "Came to the Civic Centre reception and threatened the "
                                  "housing officer; security called the police",
     B.OFFENSIVE_REMARKS),
    (347, 19, 10, "email", "Email the same evening to the housing officer: 'this is not over'",
     B.OFFENSIVE_REMARKS),
)
# What the team wrote when post filed without reply held nothing new (often nothing at all).
FILED_NOTES = ("", "", "Read in full: the same points as before; nothing new",
               "Repeats the complaint already answered; no new issue and no risk",
               "Nothing new and no risk; no reply, as the restriction says")
