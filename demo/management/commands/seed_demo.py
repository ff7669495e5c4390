"""Demo data: an organisation, its people and a programme set up and under way. Idempotent."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from organisations.models import Membership, Organisation, User
from organisations.roles import OrgRole, Role, Side
from organisations.services import organisation_create
from pairs.forms import DEFAULT_DECISION_WORDS
from pairs.models import (
    PREFER_NOT_TO_SAY,
    CheckInStatus,
    ConcernActionKind,
    Decision,
    Meeting,
    MeetingMode,
    MeetingPreference,
    Pair,
    PairStatus,
    Profile,
    RedFlagKind,
)
from pairs.services import (
    agreement_confirm,
    agreement_propose,
    checkin_log,
    concern_act,
    concern_raise,
    decision_record,
    diversity_answers_give,
    goal_add,
    matching_publish,
    matching_run,
    meeting_log,
    pair_propose,
    pair_steward_set,
    participant_add,
    profile_update,
    pulse_record,
    reflection_save,
    selection_note_add,
)
from programmes.models import (
    CommissioningSignOff,
    Programme,
    Resource,
    ResourceAudience,
    Stage,
    StageStatus,
    StageTask,
    TaskStatus,
    TrainingAudience,
    TrainingFormat,
    TrainingKind,
    TrainingSession,
)
from programmes.services import (
    attendance_set,
    calendar_feed_get,
    ethics_acknowledge,
    ethics_statement_set,
    programme_create,
    programme_member_add,
    programme_setup_update,
    resource_add,
    sign_off_record,
    stage_status_refresh,
    task_save,
    task_status_set,
    training_session_save,
)
from surveys.models import Question, QuestionKind, Response, Survey, SurveyKind
from surveys.services import response_save, surveys_standard_create

DEMO_PASSWORD = "demo-pass-2026"
ORG_SLUG = "northwind"
PROGRAMME_NAME = "Reciprocal Mentoring Pilot"

# (e-mail, full name, organisation role, programme role, side)
DEMO_PEOPLE: list[tuple[str, str, str, str, str]] = [
    ("admin@example.org", "Ada Admin", OrgRole.ADMIN, "", ""),
    ("coordinator@example.org", "Chidi Coordinator", OrgRole.MEMBER, Role.COORDINATOR, ""),
    ("steering@example.org", "Sam Steering", OrgRole.MEMBER, Role.STEERING, ""),
    ("senior@example.org", "Selma Senior", OrgRole.MEMBER, Role.PARTICIPANT, Side.SENIOR),
    ("junior@example.org", "Jun Junior", OrgRole.MEMBER, Role.PARTICIPANT, Side.JUNIOR),
    ("supervisor@example.org", "Suri Supervisor", OrgRole.MEMBER, Role.SUPERVISOR, ""),
    ("executive@example.org", "Eve Executive", OrgRole.MEMBER, Role.EXECUTIVE, ""),
]

# The steering group: (e-mail, full name, the stakeholders they represent, chairs the group)
STEERING_GROUP: list[tuple[str, str, str, bool]] = [
    ("steering@example.org", "Sam Steering", "Race equality network", True),
    ("owen.hughes@example.org", "Owen Hughes", "HR and talent", False),
    ("lucy.brennan@example.org", "Lucy Brennan", "Operations division", False),
    ("rebecca.stone@example.org", "Rebecca Stone", "Women in leadership network", False),
    ("marcus.bell@example.org", "Marcus Bell", "Disability and neurodiversity network", False),
]

# The rest of the cohort: (e-mail, full name, side, acknowledged the ethics, attended the
# intensive day). The demo senior and junior participants have done both.
COHORT: list[tuple[str, str, str, bool, bool]] = [
    ("senior@example.org", "Selma Senior", Side.SENIOR, True, True),
    ("junior@example.org", "Jun Junior", Side.JUNIOR, True, True),
    ("margaret.holloway@example.org", "Margaret Holloway", Side.SENIOR, True, True),
    ("david.ashworth@example.org", "David Ashworth", Side.SENIOR, True, True),
    ("helen.fairbairn@example.org", "Helen Fairbairn", Side.SENIOR, True, True),
    ("jonathan.pryce@example.org", "Jonathan Pryce", Side.SENIOR, False, False),
    ("catherine.whitfield@example.org", "Catherine Whitfield", Side.SENIOR, False, True),
    ("amara.nwosu@example.org", "Amara Nwosu", Side.JUNIOR, True, True),
    ("priya.raman@example.org", "Priya Raman", Side.JUNIOR, True, True),
    ("kwame.mensah@example.org", "Kwame Mensah", Side.JUNIOR, True, True),
    ("fatima.hussain@example.org", "Fatima Hussain", Side.JUNIOR, False, True),
    ("tomasz.nowak@example.org", "Tomasz Nowak", Side.JUNIOR, False, False),
]

# Candidates who applied but were not selected: (e-mail, full name, side, decision, red flag,
# the coordinator's private selection note).
CANDIDATES: list[tuple[str, str, str, str, str, str]] = [
    (
        "robert.linton@example.org",
        "Robert Linton",
        Side.SENIOR,
        Decision.NOT_SELECTED,
        RedFlagKind.EXTERNAL_MINDSET,
        "At interview he put the lack of diversity in Procurement down to who applies and the "
        "universities, and saw no part for his own decisions. Talked mostly about what he could "
        "teach a junior partner. Not this cohort: suggest the inclusive leadership programme "
        "first, and invite him to apply for the second cohort.",
    ),
    (
        "grace.adeyemi@example.org",
        "Grace Adeyemi",
        Side.JUNIOR,
        Decision.WAIT_LISTED,
        "",
        "Strong one-pager, clear about what she would learn and what she would share. Not placed "
        "only because we have six senior partners for this cohort. First on the waiting list: "
        "offer her the next senior place that comes up.",
    ),
]

# Each candidate's profile and one-page statement, as profile_update takes them.
PROFILES: dict[str, dict[str, object]] = {
    "senior@example.org": {
        "job_title": "Finance Director",
        "department": "Finance",
        "function": "Financial planning and analysis",
        "grade": 10,
        "location": "Leeds",
        "line_manager_email": "executive@example.org",
        "hoped_learning": "I have spent twenty years in finance and know how our numbers are "
        "made, but not what it is like to be on the receiving end of the decisions behind them. "
        "I want to hear, without the filter of a management report, what gets in the way of "
        "colleagues who do not look or sound like most of our leadership team. I suspect some "
        "of the processes I think of as neutral are anything but.",
        "aspirations": "I would like us to meet as equals and be honest with each other, "
        "including when what I hear is uncomfortable. In return I can open up how budgets and "
        "headcount are really decided, and who is in the room when they are. By the end I want "
        "at least one change in my own area that my partner would recognise as ours.",
        "openness": 4,
        "values_diversity": 4,
        "curiosity": 5,
        "challenges_status_quo": 3,
        "listening": 4,
        "meeting_preference": MeetingPreference.EITHER,
        "availability": "Tuesday or Thursday mornings; not the last week of the month.",
    },
    "margaret.holloway@example.org": {
        "job_title": "Operations Director",
        "department": "Operations",
        "function": "Distribution and logistics",
        "grade": 11,
        "location": "Daventry",
        "line_manager_email": "executive@example.org",
        "hoped_learning": "Most of my division works shifts in the distribution centres, and the "
        "view from the top of the organisation chart is not the view from the warehouse floor. "
        "I want to understand why so few of our ethnic minority team leaders move into "
        "management, and what our promotion panels look like from the other side of the table.",
        "aspirations": "I hope my partner will feel able to challenge me and tell me when I have "
        "got something wrong. I can share how operational decisions are really taken and help "
        "them see the wider business. I want us both to leave with something we can press for, "
        "not just a good conversation.",
        "openness": 4,
        "values_diversity": 5,
        "curiosity": 4,
        "challenges_status_quo": 4,
        "listening": 3,
        "meeting_preference": MeetingPreference.IN_PERSON,
        "availability": "Early mornings at Daventry or Leeds; I am in London one week a month.",
    },
    "david.ashworth@example.org": {
        "job_title": "Chief Technology Officer",
        "department": "Technology",
        "function": "Engineering",
        "grade": 11,
        "location": "London",
        "line_manager_email": "executive@example.org",
        "hoped_learning": "Technology at Northwind is still mostly white and male at every level "
        "above graduate, and I have been part of the hiring that made it so. I want to learn "
        "how our culture looks to someone who does not fit the mould: the in-jokes, the "
        "late-evening releases, who gets the interesting projects.",
        "aspirations": "I would like a relationship where my partner sets at least half the "
        "agenda and I do more listening than talking. I will be open about how I make decisions "
        "and the pressures I am under. If my partner sees something in my teams that needs to "
        "change, I want us to work out together how to change it.",
        "openness": 4,
        "values_diversity": 3,
        "curiosity": 5,
        "challenges_status_quo": 4,
        "listening": 3,
        "meeting_preference": MeetingPreference.VIRTUAL,
        "availability": "Friday afternoons, or a lunchtime call any day but Monday.",
    },
    "helen.fairbairn@example.org": {
        "job_title": "People Director",
        "department": "People",
        "function": "Human resources",
        "grade": 10,
        "location": "Leeds",
        "line_manager_email": "executive@example.org",
        "hoped_learning": "I write many of the policies that are meant to make Northwind fair, "
        "and I rarely see how they land. I want to learn where our processes, from recruitment "
        "to flexible working requests, quietly disadvantage people, and what it costs them to "
        "speak up about it.",
        "aspirations": "I hope we can be candid with each other, and that my partner will not "
        "feel they have to be polite because of my role. I can explain how policy is made and "
        "where the levers really are. I would like us to take one issue to the steering group "
        "together.",
        "openness": 5,
        "values_diversity": 5,
        "curiosity": 4,
        "challenges_status_quo": 4,
        "listening": 5,
        "meeting_preference": MeetingPreference.IN_PERSON,
        "availability": "Wednesdays; I can come to Daventry or Glasgow if that helps.",
    },
    "jonathan.pryce@example.org": {
        "job_title": "Sales Director",
        "department": "Sales",
        "function": "Commercial",
        "grade": 9,
        "location": "London",
        "line_manager_email": "executive@example.org",
        "hoped_learning": "Sales rewards confidence and volume, and I have come to wonder whom "
        "that quietly excludes. I want to understand how our targets, client entertaining and "
        "informal networks feel to a colleague who does not have the connections I took for "
        "granted.",
        "aspirations": "I am here to learn rather than to mentor, and I would like my partner to "
        "hold me to that. I can share how accounts are allocated and how people get noticed in "
        "Sales. I hope we both come away changing something about how we work.",
        "openness": 3,
        "values_diversity": 4,
        "curiosity": 4,
        "challenges_status_quo": 3,
        "listening": 3,
        "meeting_preference": MeetingPreference.EITHER,
        "availability": "Monday afternoons; I travel to clients most Thursdays.",
    },
    "catherine.whitfield@example.org": {
        "job_title": "General Counsel",
        "department": "Legal",
        "function": "Legal and compliance",
        "grade": 10,
        "location": "London",
        "line_manager_email": "executive@example.org",
        "hoped_learning": "The legal profession talks a great deal about diversity and has moved "
        "slowly, and I am not sure my own team is any different. I want to learn what the "
        "barriers look like to someone early in their career, and which of them I have stopped "
        "noticing.",
        "aspirations": "I would like us to meet as co-learners, with a confidentiality we both "
        "trust. I can offer an insight into how governance and risk decisions are made at board "
        "level. I hope to come away with concrete changes to how we recruit and develop people "
        "in Legal.",
        "openness": 4,
        "values_diversity": 4,
        "curiosity": 3,
        "challenges_status_quo": 4,
        "listening": 4,
        "meeting_preference": MeetingPreference.VIRTUAL,
        "availability": "After 4pm on Tuesdays and Wednesdays.",
    },
    "junior@example.org": {
        "job_title": "Software Developer",
        "department": "Technology",
        "function": "Engineering",
        "grade": 4,
        "location": "Glasgow",
        "line_manager_email": "ross.mcallister@example.org",
        "hoped_learning": "I want to understand how decisions about the business are made above "
        "my team, and why some projects get funded while others stall. Seeing how a senior "
        "leader weighs up priorities would help me make a better case for the things I care "
        "about.",
        "aspirations": "I would like my partner to hear what it is like to be neurodivergent in "
        "a team where socialising happens at the pub and feedback arrives in open-plan "
        "meetings. I hope we can be honest with each other and name small changes, like how "
        "meetings and reviews are run, that would make a real difference. I expect to learn "
        "something about my own assumptions about senior leaders, too.",
        "openness": 5,
        "values_diversity": 5,
        "curiosity": 5,
        "challenges_status_quo": 4,
        "listening": 4,
        "meeting_preference": MeetingPreference.VIRTUAL,
        "availability": "Any weekday afternoon; video calls suit me best.",
    },
    "amara.nwosu@example.org": {
        "job_title": "Shift Team Leader",
        "department": "Operations",
        "function": "Distribution and logistics",
        "grade": 3,
        "location": "Daventry",
        "line_manager_email": "gareth.lloyd@example.org",
        "hoped_learning": "I have led a shift team at Daventry for three years and watched "
        "colleagues with less experience move into management ahead of me. I want to understand "
        "how promotion decisions are really made and what senior leaders look for, so I can tell "
        "which parts of the process are fair and which are not.",
        "aspirations": "I want my partner to hear what it is like to be a Black woman and a mum "
        "working nights in a distribution centre, and what would make it easier for people like "
        "me to progress. I hope we can talk as equals, and that something changes because of "
        "it.",
        "openness": 4,
        "values_diversity": 5,
        "curiosity": 4,
        "challenges_status_quo": 5,
        "listening": 4,
        "meeting_preference": MeetingPreference.IN_PERSON,
        "availability": "Before a late shift, or on my rest days (they change every four weeks).",
    },
    "priya.raman@example.org": {
        "job_title": "Paralegal",
        "department": "Legal",
        "function": "Legal and compliance",
        "grade": 5,
        "location": "London",
        # Reports to a senior partner in this cohort, so the two are never paired.
        "line_manager_email": "catherine.whitfield@example.org",
        "hoped_learning": "I am the first in my family to work in law, and I want to understand "
        "how people from outside the usual routes build a career here. Learning how leaders in "
        "other parts of the business think about risk and opportunity would widen my view "
        "beyond contracts.",
        "aspirations": "I want to share honestly what it is like to be a young British Asian "
        "woman in a profession where most senior people look alike and went to the same "
        "universities. I would like us to challenge each other, and each agree one thing we "
        "will do differently.",
        "openness": 4,
        "values_diversity": 4,
        "curiosity": 5,
        "challenges_status_quo": 3,
        "listening": 5,
        "meeting_preference": MeetingPreference.EITHER,
        "availability": "Lunchtimes, or after 5pm; not in the week of the board meeting.",
    },
    "kwame.mensah@example.org": {
        "job_title": "Accounts Payable Assistant",
        "department": "Finance",
        "function": "Transactional finance",
        "grade": 2,
        "location": "Leeds",
        "line_manager_email": "susan.clarke@example.org",
        "hoped_learning": "I joined through the apprenticeship scheme and I am studying for my "
        "accounting qualification. I want to learn how leaders outside Finance make decisions, "
        "and what it takes to be taken seriously in rooms I am not usually in.",
        "aspirations": "I would like my partner to understand what it is like to be a young "
        "Black man starting out here, including the small things that add up, like being "
        "mistaken for a visitor at reception. I hope my partner will be as curious about my "
        "experience as I am about theirs.",
        "openness": 5,
        "values_diversity": 4,
        "curiosity": 5,
        "challenges_status_quo": 3,
        "listening": 4,
        "meeting_preference": MeetingPreference.IN_PERSON,
        "availability": "Any day but Wednesday (college day).",
    },
    "fatima.hussain@example.org": {
        "job_title": "HR Adviser",
        "department": "People",
        "function": "Employee relations",
        "grade": 4,
        "location": "Leeds",
        "line_manager_email": "joanne.price@example.org",
        "hoped_learning": "I have worked in HR for six years and usually see policies from the "
        "side of the people they affect. I want to learn how senior leaders weigh up competing "
        "pressures, so that I can make a stronger case for the changes I believe in.",
        "aspirations": "As a Muslim woman who wears the hijab and lives with a long-term health "
        "condition, I want my partner to hear how everyday things like meeting times, prayer "
        "space and reasonable adjustments shape whether people feel they belong. I hope we can "
        "build trust quickly and be honest about what we each find hard.",
        "openness": 4,
        "values_diversity": 5,
        "curiosity": 4,
        "challenges_status_quo": 4,
        "listening": 5,
        "meeting_preference": MeetingPreference.EITHER,
        "availability": "Mornings before 11am; I work compressed hours and am off on Fridays.",
    },
    "tomasz.nowak@example.org": {
        "job_title": "Inside Sales Executive",
        "department": "Sales",
        "function": "Commercial",
        "grade": 3,
        "location": "Daventry",
        "line_manager_email": "dan.whitehead@example.org",
        "hoped_learning": "English is my second language and I moved here from Poland eight "
        "years ago. I want to understand how senior leaders judge potential, and whether accent "
        "and confidence count for more than results.",
        "aspirations": "I would like my partner to see our sales culture from the side of "
        "someone who does not fit the usual mould. I hope we both learn: me about how the "
        "business is steered, my partner about what customers and colleagues say when leaders "
        "are not in the room.",
        "openness": 3,
        "values_diversity": 4,
        "curiosity": 4,
        "challenges_status_quo": 3,
        "listening": 4,
        "meeting_preference": MeetingPreference.VIRTUAL,
        "availability": "Late afternoons, after the calls with customers are done.",
    },
    "robert.linton@example.org": {
        "job_title": "Head of Procurement",
        "department": "Operations",
        "function": "Procurement",
        "grade": 9,
        "location": "Daventry",
        "line_manager_email": "margaret.holloway@example.org",
        "hoped_learning": "I have mentored a lot of people over the years and I would like to "
        "pass on what I have learned about getting on in a business like ours. I am also keen to "
        "understand why we struggle to attract diverse candidates into Procurement.",
        "aspirations": "I would like to help my partner build their confidence and their "
        "network, and give them a clearer route to promotion. Meeting monthly should be fine, "
        "diary permitting.",
        "openness": 3,
        "values_diversity": 3,
        "curiosity": 3,
        "challenges_status_quo": 3,
        "listening": 3,
        "meeting_preference": MeetingPreference.IN_PERSON,
        "availability": "Friday mornings at Daventry.",
    },
    "grace.adeyemi@example.org": {
        "job_title": "Customer Service Adviser",
        "department": "Operations",
        "function": "Customer service",
        "grade": 2,
        "location": "Glasgow",
        "line_manager_email": "fiona.reid@example.org",
        "hoped_learning": "I handle customers' complaints every day and often know what is "
        "wrong before the business does. I want to learn how leaders decide what to fix first, "
        "and how someone on the phones can get those messages heard.",
        "aspirations": "I would like my partner to hear what it is like to be a young Black "
        "woman in Glasgow, far from head office, and why so few of us apply for roles further "
        "up. I hope we would both be honest and both come away thinking differently.",
        "openness": 5,
        "values_diversity": 4,
        "curiosity": 5,
        "challenges_status_quo": 4,
        "listening": 4,
        "meeting_preference": MeetingPreference.VIRTUAL,
        "availability": "Tuesdays and Thursdays between 2pm and 4pm.",
    },
}

# Diversity answers given with consent; the others chose not to answer the questions at all.
DIVERSITY: dict[str, dict[str, str]] = {
    "senior@example.org": {
        "gender": "woman",
        "ethnicity": "white",
        "age_band": "45_59",
        "disability": "no",
        "neurodivergence": "no",
        "socio_economic": "professional",
        "sexual_orientation": "heterosexual",
        "caring": "yes",
    },
    "margaret.holloway@example.org": {
        "gender": "woman",
        "ethnicity": "white",
        "age_band": "45_59",
        "disability": "no",
        "neurodivergence": "no",
        "socio_economic": "working_class",
        "sexual_orientation": "heterosexual",
        "caring": "no",
    },
    "david.ashworth@example.org": {
        "gender": "man",
        "ethnicity": "white",
        "age_band": "45_59",
        "disability": "no",
        "neurodivergence": PREFER_NOT_TO_SAY,
        "socio_economic": "professional",
        "sexual_orientation": "heterosexual",
        "caring": "yes",
    },
    "jonathan.pryce@example.org": {
        "gender": "man",
        "ethnicity": "white",
        "age_band": "30_44",
        "disability": "no",
        "neurodivergence": "no",
        "socio_economic": "professional",
        "sexual_orientation": PREFER_NOT_TO_SAY,
        "caring": "no",
    },
    "junior@example.org": {
        "gender": "man",
        "ethnicity": "asian",
        "age_band": "under_30",
        "disability": "no",
        "neurodivergence": "yes",
        "socio_economic": "intermediate",
        "sexual_orientation": "lgb",
        "caring": "no",
    },
    "amara.nwosu@example.org": {
        "gender": "woman",
        "ethnicity": "black",
        "age_band": "30_44",
        "disability": "no",
        "neurodivergence": "no",
        "socio_economic": "working_class",
        "sexual_orientation": "heterosexual",
        "caring": "yes",
    },
    "priya.raman@example.org": {
        "gender": "woman",
        "ethnicity": "asian",
        "age_band": "under_30",
        "disability": "no",
        "neurodivergence": "no",
        "socio_economic": PREFER_NOT_TO_SAY,
        "sexual_orientation": PREFER_NOT_TO_SAY,
        "caring": "no",
    },
    "kwame.mensah@example.org": {
        "gender": "man",
        "ethnicity": "black",
        "age_band": "under_30",
        "disability": "no",
        "neurodivergence": "no",
        "socio_economic": "working_class",
        "sexual_orientation": "heterosexual",
        "caring": "no",
    },
    "fatima.hussain@example.org": {
        "gender": "woman",
        "ethnicity": "asian",
        "age_band": "30_44",
        "disability": "yes",
        "neurodivergence": "no",
        "socio_economic": "working_class",
        "sexual_orientation": PREFER_NOT_TO_SAY,
        "caring": "yes",
    },
    "robert.linton@example.org": {
        "gender": "man",
        "ethnicity": "white",
        "age_band": "45_59",
        "disability": "no",
        "neurodivergence": "no",
        "socio_economic": "professional",
        "sexual_orientation": "heterosexual",
        "caring": "no",
    },
}
# Paired by the coordinator before the matching ran: the demo's senior and junior logins.
LOCKED_PAIR = ("senior@example.org", "junior@example.org")

PURPOSE = (
    "Pair senior leaders with junior colleagues from under-represented groups (ethnic minority, "
    "disabled and neurodivergent, LGBTQ+ colleagues, and women in roles where they are few) as "
    "co-learning equals. Each learns from the other's experience of Northwind: the senior partner "
    "hears at first hand what it is like to work here without privilege, the junior partner sees "
    "how decisions are made and by whom. Together the pairs name the barriers that hold people "
    "back and press for systemic change, not only for individual development."
)
SCOPE = (
    "The UK head office and the Operations division (the Leeds and Daventry distribution "
    "centres). Senior side: the executive committee and their direct reports. Junior side: "
    "colleagues at grades 5 to 7 with at least a year's service, from under-represented groups, "
    "nominated through the employee networks or self-nominated. Not in the pilot: the overseas "
    "subsidiaries and agency staff, both candidates for a second cohort."
)
INITIATIVE_LINKS = (
    "Inclusive leadership programme: senior participants come from its second cohort, and the "
    "themes the pairs raise feed its curriculum.\n"
    "Ethnicity pay gap action plan: the steering group reports the systemic issues the pairs "
    "raise against its actions on recruitment and progression.\n"
    "Employee networks (race equality, women in leadership, disability and neurodiversity, "
    "LGBTQ+): they help recruit the junior side and sit on the steering group.\n"
    "Graduate and apprentice schemes: kept separate; this is not a sponsorship or talent scheme."
)
SELECTION_CRITERIA = (
    "Match on difference: pair each senior leader with the junior colleague whose background, "
    "identity and experience of Northwind differ most from theirs, never within one reporting "
    "line.\n\n"
    "Positive traits on both sides: curiosity; willingness to listen and to be vulnerable; "
    "openness to challenge; commitment to meet monthly for six months and to join the group "
    "sessions.\n\n"
    "Red flags: a senior leader who wants to coach or fix their partner rather than learn; "
    "anyone looking for a promotion route or a sponsor; a live grievance or disciplinary case "
    "between the two; a junior colleague pressed to take part by their manager."
)
ETHICS_STATEMENT = (
    "Confidentiality: what is said within a pair stays within the pair. Themes are shared at the "
    "combined group sessions only without names or details that could identify anyone.\n\n"
    "No retaliation: nothing a junior partner says may count against them in appraisal, "
    "promotion or any other decision. Senior partners do not act on what they hear about named "
    "colleagues without their partner's agreement.\n\n"
    "Chatham House rule at group sessions: use what you hear, but never say who said it.\n\n"
    "Raise concerns with the coordinator, in confidence, at any time: about the relationship, a "
    "breach of these rules or anything that makes you uncomfortable. Either partner may end the "
    "relationship without giving a reason.\n\n"
    "We expect to find gaps between the values Northwind espouses and the values colleagues live "
    "day to day. Naming those gaps honestly is the point of the programme, not disloyalty."
)
SIGN_OFF_NOTE = (
    "Approved at the board's quarterly meeting: a six-month pilot of 16 pairs, with budget for "
    "external facilitation of the training and the group sessions. Eve Executive sponsors the "
    "programme and will hear the evaluation."
)

# Checklist items given to a named person rather than a role: (stage, task) -> e-mail.
TASK_OWNERS: dict[tuple[int, str], str] = {
    (1, "Make the case to the top team"): "coordinator@example.org",
    (1, "Record the top team's sign-off"): "executive@example.org",
    (2, "Form the steering group and name its chair"): "coordinator@example.org",
    (2, "Set the selection and matching criteria"): "steering@example.org",
    (2, "Outline the training"): "supervisor@example.org",
    (3, "Identify and recruit participants"): "owen.hughes@example.org",
    (3, "Create the pairings"): "coordinator@example.org",
    (4, "Schedule the initial training"): "coordinator@example.org",
    (4, "Brief the participants' line managers"): "owen.hughes@example.org",
}
# Tasks added to the default checklist: (stage, task, owner's e-mail, days after the stage starts
# it is due, status). Stage 4's are placed around the intensive day.
EXTRA_TASKS: list[tuple[int, str, str, int, str]] = [
    (2, "Agree the ethics and confidentiality ground rules", "steering@example.org", 14, "done"),
    (3, "Hold taster sessions with the employee networks", "rebecca.stone@example.org", 7, "done"),
    (4, "Book the venue for the intensive day", "lucy.brennan@example.org", 4, "done"),
    (4, "Send joining instructions and pre-reading", "coordinator@example.org", 6, "done"),
]
# Stage 4 as it stands today: the rest of its tasks are still to do.
STAGE_4_STATUSES = {
    "Schedule the initial training": TaskStatus.DONE,
    "Book the venue for the intensive day": TaskStatus.DONE,
    "Send joining instructions and pre-reading": TaskStatus.DONE,
    "Train all participants": TaskStatus.IN_PROGRESS,
}
OVERDUE_TASK = (4, "Brief the participants' line managers", 7)  # due a week into the stage

SENIOR_BRIEFING_NOTE = """# Briefing note for senior partners

Thank you for joining the Reciprocal Mentoring Pilot. This note sets out what we ask of you.

## You are here to learn
Your partner is not your mentee. For six months you meet as co-learning equals: you hear what
working at Northwind is like for a colleague from an under-represented group, and you share how
decisions are made. Leave your rank at the door.

## What we ask
- Meet your partner at least once a month, for an hour, somewhere neither of you is overheard.
- Listen more than you speak. Ask before you advise.
- Do not act on what you hear about named colleagues without your partner's agreement.
- Come to the combined group sessions: that is where the systemic issues are taken forward.

## When it gets difficult
Some conversations will be uncomfortable; that is expected. If you are unsure what to do, talk to
the coordinator or ask for supervision. Either of you may end the relationship without giving a
reason.

## Confidentiality
What is said in the pair stays in the pair. See the ethics statement on the programme page.
"""

# (title, description, audience, link, file name); a file name means an uploaded file.
RESOURCES: list[tuple[str, str, str, str, str]] = [
    (
        "Programme handbook",
        "What the pilot is for, how its stages run, what is asked of each partner and whom to ask.",
        ResourceAudience.EVERYONE,
        "https://intranet.example.org/inclusion/reciprocal-mentoring/handbook",
        "",
    ),
    (
        "Briefing note for senior partners",
        "Read before the senior-side briefing: learning as an equal, and what not to act on.",
        ResourceAudience.SENIOR,
        "",
        "senior-partner-briefing.md",
    ),
    (
        "Getting the most from your senior partner",
        "Ideas for first conversations, and how to raise what you would like to change.",
        ResourceAudience.JUNIOR,
        "https://intranet.example.org/inclusion/reciprocal-mentoring/junior-guide",
        "",
    ),
    (
        "Steering group terms of reference",
        "Membership, how often the group meets, and how it checks in with the pairs.",
        ResourceAudience.STEERING,
        "https://intranet.example.org/inclusion/reciprocal-mentoring/steering-terms",
        "",
    ),
    (
        "Ethnicity pay gap action plan",
        "Northwind's published plan; the pairs' themes feed its actions on progression.",
        ResourceAudience.EVERYONE,
        "https://intranet.example.org/inclusion/ethnicity-pay-gap-action-plan",
        "",
    ),
]


# --- The relationships under way --------------------------------------------------------------
# The pairs were published about five weeks ago (earlier than the timeline's stage 5, so that the
# demo can show relationships in every state the coordinator's dashboard tells apart). Each pair
# is found by its senior partner; "senior" and "junior" below say which partner does something.

PUBLISHED_DAYS_AGO = 37

# Answers to the pulse questions: (could speak openly, learned something, partner learned
# something, how the relationship is going), each 1-5.
PulseScores = tuple[int, int, int, int]


@dataclass(frozen=True)
class DemoMeeting:
    days_ago: int
    minutes: int
    mode: str
    location: str
    logged_by: str
    notes: str
    pulses: dict[str, PulseScores] = field(default_factory=dict)
    reflections: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoRelationship:
    steward: str
    proposed_by: str
    agreement: dict[str, str]
    agreed: bool = True
    goals: tuple[tuple[str, str], ...] = ()
    meetings: tuple[DemoMeeting, ...] = ()
    # (days ago, status, the steering member's note for the coordinator)
    checkins: tuple[tuple[int, str, str], ...] = ()
    # (who raises it, what worries them); then what the coordinator did, in order
    concern: tuple[str, str] | None = None
    concern_actions: tuple[tuple[str, str], ...] = ()


STANDARD_CONFIDENTIALITY = (
    "What either of us says about named colleagues stays between us. Neither of us acts on it, or "
    "takes it to a manager, without the other's agreement. Themes can go to the group sessions "
    "without names or details that could identify anyone."
)

RELATIONSHIPS: dict[str, DemoRelationship] = {
    # Thriving: agreed, two goals each, meeting every three weeks, warm pulses, on track.
    "senior@example.org": DemoRelationship(
        steward="steering@example.org",
        proposed_by="junior",
        agreement={
            "meeting_frequency": "Every three weeks for an hour, and a short call in between if "
            "either of us wants one",
            "meeting_place": "Video call; in person at the Glasgow office when Selma is up for "
            "the quarterly review",
            "confidentiality": STANDARD_CONFIDENTIALITY,
            "ground_rules": "We meet as equals: no titles. Cameras optional. Jun sets the agenda "
            "for every other meeting. The agenda goes out the day before, so neither of us is put "
            "on the spot. Either of us can say 'park that' and we come back to it next time.",
        },
        goals=(
            (
                "senior",
                "Understand how our reviews and promotion panels land for colleagues who are "
                "neurodivergent",
            ),
            ("senior", "Find one Finance process I think of as neutral that isn't, and change it"),
            ("junior", "Understand how budgets and headcount are really decided, and by whom"),
            ("junior", "Learn to make a business case that gets heard at director level"),
        ),
        meetings=(
            DemoMeeting(
                days_ago=35,
                minutes=60,
                mode=MeetingMode.VIRTUAL,
                location="Video call",
                logged_by="junior",
                notes="First meeting: we went through the agreement and set our learning goals. "
                "Selma explained the budget round: each director bids in October, Finance models "
                "the bids, and the executive committee settles the trade-offs in one afternoon in "
                "November. Jun talked about joining a team where a lot of decisions seem to be "
                "made at the pub on Thursdays, and what you miss if you don't go.\n\n"
                "Next time: how promotion panels really work.",
                pulses={"senior": (4, 4, 4, 4), "junior": (4, 5, 4, 4)},
            ),
            DemoMeeting(
                days_ago=21,
                minutes=75,
                mode=MeetingMode.IN_PERSON,
                location="Glasgow office, small meeting room 2",
                logged_by="senior",
                notes="How promotion panels work. Selma walked through a grade 6 panel: three "
                "panellists, a scoring grid, then a 'calibration' conversation afterwards in which "
                "the scores often move. Jun asked who moves them and on what evidence; neither of "
                "us knew whether anyone writes down why. Jun described the last review round: "
                "feedback given in an open-plan stand-up, and a mark down for 'not contributing in "
                "meetings' when most of their best work is written.\n\n"
                "A theme for the group session, without names. Actions: Selma to find out whether "
                "calibration changes are recorded; Jun to draft the three questions they wish "
                "they had been asked at their review.",
                pulses={"senior": (5, 5, 4, 5), "junior": (4, 5, 5, 4)},
                reflections={
                    "senior": "I was defensive when Jun described the calibration conversation, "
                    "because I have sat in dozens of them and thought them fair. I had never "
                    "asked who is not in the room when the scores move. Listen first, explain "
                    "later."
                },
            ),
            DemoMeeting(
                days_ago=7,
                minutes=60,
                mode=MeetingMode.VIRTUAL,
                location="Video call",
                logged_by="junior",
                notes="What it is like to be the only person like you in the room. Jun talked "
                "about being the only neurodivergent person in sprint reviews and how much energy "
                "goes into masking; Selma about being the only woman on the finance leadership "
                "team for her first six years, the small things that made it bearable and the "
                "ones that didn't.\n\n"
                "Selma found that calibration changes are not recorded anywhere and will raise it "
                "with the People Director. We will take Jun's three review questions to the "
                "follow-up workshop. Next time: how a business case gets through the investment "
                "committee.",
                pulses={"senior": (5, 5, 5, 5), "junior": (5, 5, 4, 5)},
                reflections={
                    "junior": "It helped more than I expected to hear that Selma used to rehearse "
                    "what she would say in meetings too. I told her more about masking than I "
                    "have told anyone at work, and it felt safe. I want to keep bringing the "
                    "agenda."
                },
            ),
        ),
        checkins=(
            (
                10,
                CheckInStatus.ON_TRACK,
                "Spoke to both after their Glasgow meeting. They meet every three weeks as agreed "
                "and both sound energised. They would like to bring unrecorded calibration "
                "changes in promotion panels to the first group session: worth a place on the "
                "agenda.",
            ),
        ),
    ),
    # Flagged: the partners' latest pulses differ sharply on speaking openly; needs support.
    "david.ashworth@example.org": DemoRelationship(
        steward="steering@example.org",
        proposed_by="senior",
        agreement={
            "meeting_frequency": "Every two weeks, 45 minutes, Friday lunchtime",
            "meeting_place": "Video call",
            "confidentiality": STANDARD_CONFIDENTIALITY,
            "ground_rules": "My partner sets at least half the agenda. I listen more than I "
            "talk. No fixing unless asked.",
        },
        meetings=(
            DemoMeeting(
                days_ago=30,
                minutes=45,
                mode=MeetingMode.VIRTUAL,
                location="Video call",
                logged_by="senior",
                notes="Introductions. We talked about the late-evening release nights in "
                "Technology and who ends up on them; David was surprised that colleagues with "
                "caring responsibilities quietly opt out rather than say why. Agreed to look next "
                "at how the interesting projects are handed out.",
                pulses={"senior": (5, 4, 4, 5), "junior": (4, 4, 3, 4)},
            ),
            DemoMeeting(
                days_ago=16,
                minutes=45,
                mode=MeetingMode.VIRTUAL,
                location="Video call",
                logged_by="senior",
                notes="How projects are allocated: David explained the quarterly planning meeting, "
                "where leads mostly pick people they have worked with before. We talked about what "
                "that means for anyone new, or different. David will share the planning notes.",
                pulses={"senior": (5, 5, 4, 5), "junior": (3, 4, 3, 3)},
            ),
            DemoMeeting(
                days_ago=4,
                minutes=55,
                mode=MeetingMode.VIRTUAL,
                location="Video call",
                logged_by="senior",
                notes="Went through the planning notes together, then a long discussion of the "
                "in-jokes in the engineering team chat, which David has never seen as a barrier. "
                "We ran over and didn't reach the item my partner brought; first on the list next "
                "time.",
                pulses={"senior": (5, 5, 4, 5), "junior": (2, 3, 4, 3)},
            ),
        ),
        checkins=(
            (
                2,
                CheckInStatus.NEEDS_SUPPORT,
                "Met them both briefly. David is enthusiastic and calls the relationship a great "
                "success; his partner was much quieter, and said the meetings mostly follow "
                "David's agenda and run over. Suggest the coordinator offers the junior partner a "
                "private conversation, and reminds David of the briefing note: listen more than "
                "you speak.",
            ),
        ),
    ),
    # Flagged: an open confidential concern from the junior partner; agreement not yet agreed.
    "jonathan.pryce@example.org": DemoRelationship(
        steward="owen.hughes@example.org",
        proposed_by="senior",
        agreement={
            "meeting_frequency": "Monthly, Monday afternoons",
            "meeting_place": "My office, 3rd floor Sales, London",
            "confidentiality": "The usual: what's said in the room stays in the room.",
            "ground_rules": "Come with a question each time and I'll do my best to help you "
            "with it.",
        },
        agreed=False,
        meetings=(
            DemoMeeting(
                days_ago=17,
                minutes=40,
                mode=MeetingMode.VIRTUAL,
                location="Video call",
                logged_by="senior",
                notes="Good first chat. Talked through my partner's career so far, and I gave "
                "some pointers on presenting yourself at interview and building a network in head "
                "office. Next time in person in London.",
            ),
        ),
        concern=(
            "junior",
            "I haven't confirmed the agreement because I don't think I can make it work. Jonathan "
            "wants us to meet in his office in London on Monday afternoons, and I work nights at "
            "Daventry. On our first call he spent most of the hour telling me how to do better at "
            "interviews and didn't ask me anything about what it's like to work here, which is "
            "what I signed up to talk about. I don't want to make a fuss, or for him to know I've "
            "said this. Can you help?",
        ),
    ),
    # Quiet for weeks: one meeting soon after the pairs were published, nothing since.
    "helen.fairbairn@example.org": DemoRelationship(
        steward="lucy.brennan@example.org",
        proposed_by="senior",
        agreement={
            "meeting_frequency": "Once a month, an hour",
            "meeting_place": "In person in Leeds, or a video call if travel is difficult",
            "confidentiality": STANDARD_CONFIDENTIALITY,
            "ground_rules": "We each bring one thing to talk about. Either of us can cancel with "
            "a day's notice, and whoever cancels rebooks.",
        },
        meetings=(
            DemoMeeting(
                days_ago=35,
                minutes=60,
                mode=MeetingMode.IN_PERSON,
                location="Northwind House, Leeds: the ground-floor café",
                logged_by="senior",
                notes="Getting to know each other: how we each came to Northwind, and what we "
                "hope for from the pairing. Helen explained how the flexible working policy was "
                "written; next time we look at how requests are actually decided in practice. "
                "To book the next meeting once next month's rota is out.",
                pulses={"senior": (4, 3, 4, 4), "junior": (3, 4, 3, 4)},
            ),
        ),
        checkins=(
            (
                32,
                CheckInStatus.ON_TRACK,
                "Caught them after their first meeting: both positive, and meaning to book the "
                "next one once the rota is out.",
            ),
        ),
    ),
    # Ended early without blame after a concern: the history stays.
    "catherine.whitfield@example.org": DemoRelationship(
        steward="marcus.bell@example.org",
        proposed_by="junior",
        agreement={
            "meeting_frequency": "Every three weeks, an hour",
            "meeting_place": "Video call; in person in London when we can",
            "confidentiality": STANDARD_CONFIDENTIALITY,
            "ground_rules": "We are co-learners. Either of us can close a topic, or end the "
            "relationship, without giving a reason.",
        },
        meetings=(
            DemoMeeting(
                days_ago=33,
                minutes=60,
                mode=MeetingMode.VIRTUAL,
                location="Video call",
                logged_by="senior",
                notes="First meeting. We talked about routes into law without a degree from the "
                "usual universities, and how Legal recruits: almost entirely through two agencies "
                "and referrals. Catherine will bring the last two years' shortlists, anonymised.",
                pulses={"senior": (4, 4, 4, 4), "junior": (4, 4, 4, 4)},
            ),
            DemoMeeting(
                days_ago=19,
                minutes=60,
                mode=MeetingMode.IN_PERSON,
                location="Northwind House, London: 4th floor",
                logged_by="junior",
                notes="Went through the anonymised shortlists: nearly every shortlisted candidate "
                "came through a referral. We talked about what a fairer route might look like, "
                "including paid placements in Legal for colleagues from elsewhere in the business.",
                pulses={"senior": (4, 5, 4, 4), "junior": (4, 4, 4, 4)},
            ),
        ),
        checkins=(
            (
                18,
                CheckInStatus.ON_TRACK,
                "Two good meetings; they are looking at how Legal recruits. Nothing needed.",
            ),
        ),
        concern=(
            "junior",
            "I've been offered a six-month secondment to the contracts team in Legal, starting "
            "next month, so Catherine will be in my reporting line and sign off my work. I'd "
            "like to take it, but I don't think either of us could be candid in the pairing "
            "after that. I haven't said anything to Catherine yet.",
        ),
        concern_actions=(
            (
                ConcernActionKind.TALK,
                "Talked with {junior} on the phone and then, with their agreement, with "
                "Catherine. Both value the relationship but agree it cannot carry on once she is "
                "in the reporting line. Nobody is at fault.",
            ),
            (
                ConcernActionKind.END_PAIR,
                "Ended without blame because of the secondment. {junior} will be offered a new "
                "partner when the secondment ends; Catherine stays with the group sessions.",
            ),
        ),
    ),
    # Ordinary: agreed, meeting monthly as planned, nothing to worry about.
    "margaret.holloway@example.org": DemoRelationship(
        steward="rebecca.stone@example.org",
        proposed_by="senior",
        agreement={
            "meeting_frequency": "Monthly, the first Tuesday morning",
            "meeting_place": "In person, taking turns between Daventry and Leeds",
            "confidentiality": STANDARD_CONFIDENTIALITY,
            "ground_rules": "Phones away. We both bring a question. Honest rather than polite.",
        },
        goals=(
            (
                "senior",
                "Understand why so few ethnic minority team leaders move into management",
            ),
            ("junior", "See how operational decisions are really taken at director level"),
        ),
        meetings=(
            DemoMeeting(
                days_ago=28,
                minutes=60,
                mode=MeetingMode.IN_PERSON,
                location="Daventry distribution centre, training room",
                logged_by="senior",
                notes="A walk round the Daventry site, then an hour together. We talked about "
                "the first step into management and the 'readiness' judgements shift managers "
                "make, and how acting-up chances tend to go to people already in the managers' "
                "circle.",
                pulses={"senior": (4, 4, 4, 4), "junior": (4, 3, 3, 4)},
            ),
            DemoMeeting(
                days_ago=12,
                minutes=60,
                mode=MeetingMode.IN_PERSON,
                location="Northwind House, Leeds",
                logged_by="junior",
                notes="Margaret talked through how the operations leadership team decides to "
                "create a new role, and we compared it with how other departments do it. Next "
                "time: the acting-up rota, with last year's figures.",
                pulses={"senior": (4, 4, 3, 4), "junior": (3, 4, 4, 4)},
            ),
        ),
        checkins=(
            (
                10,
                CheckInStatus.ON_TRACK,
                "Meeting monthly as planned, taking turns between sites. Steady; no concerns.",
            ),
        ),
    ),
}


# The completed surveys. Typical answers to the outcome items, for the senior and the junior
# side: key -> ((senior baseline, senior evaluation), (junior baseline, evaluation)). Juniors
# gain most in career and confidence, seniors in understanding power, culture and diversity.
OUTCOME_ANSWERS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "learning_see": ((2, 4), (3, 4)),
    "learning_do": ((2, 3), (2, 4)),
    "career_progress": ((3, 4), (2, 4)),
    "enabling_direction": ((3, 4), (2, 4)),
    "enabling_plan": ((2, 3), (2, 4)),
    "emotional_confidence": ((3, 4), (2, 4)),
    "emotional_efficacy": ((3, 4), (2, 4)),
    "recip_diversity": ((2, 4), (3, 4)),
    "recip_culture": ((2, 5), (3, 4)),
    "recip_power": ((2, 5), (2, 3)),
    "recip_politics": ((3, 4), (2, 4)),
    "recip_applied": ((2, 4), (2, 4)),
    "org_belonging": ((3, 4), (2, 3)),
    "org_belong_room": ((6, 8), (4, 7)),  # 0-10, after a promotion panel
    "org_best_self": ((5, 7), (4, 7)),
}

SURVEY_ORDER = (SurveyKind.BASELINE, SurveyKind.INITIAL, SurveyKind.EVALUATION)

# How each person departs from the typical answer, item by item, so no two answer alike.
SURVEY_VARIATION = (0, 1, 0, -1, 0, 0, 1, 0, -1, 0, 0)

# Who gained more (or less) than most by the evaluation.
EVALUATION_LEAN: dict[str, int] = {
    "helen.fairbairn@example.org": 1,
    "amara.nwosu@example.org": 1,
    "jonathan.pryce@example.org": -1,
    "tomasz.nowak@example.org": -1,
}

# In the initial survey, how often each pair has met, by the senior partner: an index into the
# choices of the question (not yet, once, two or three times, more often).
MEETINGS_SO_FAR: dict[str, int] = {
    "senior@example.org": 3,
    "david.ashworth@example.org": 3,
    "margaret.holloway@example.org": 2,
    "catherine.whitfield@example.org": 2,
    "helen.fairbairn@example.org": 1,
    "jonathan.pryce@example.org": 1,
}

# The initial survey's themes that could point to something in the organisation's systems.
SURVEY_THEMES: dict[str, str] = {
    "amara.nwosu@example.org": "Promotion panels reward people who sound like the panel. Team "
    "leaders from the shift floor rarely get the coaching that office staff get before one.",
    "fatima.hussain@example.org": "Flexible working requests are decided differently by each "
    "manager, so whether you can do the job with caring responsibilities depends on who you "
    "report to.",
    "kwame.mensah@example.org": "Stretch assignments go to people already in the informal "
    "network. Nobody advertises them, so you have to know to ask.",
    "junior@example.org": "Feedback is given in open-plan meetings and socialising happens at "
    "the pub, which quietly leaves out neurodivergent colleagues and anyone who does not drink.",
    "priya.raman@example.org": "Graduate rotations are allocated by who your first manager "
    "knows, not by what you want to learn.",
    "helen.fairbairn@example.org": "Our policies look fair on paper, but the discretion we give "
    "managers in applying them is where the differences creep in.",
    "margaret.holloway@example.org": "Shift patterns make it almost impossible for night-shift "
    "team leaders to attend the development days we schedule in office hours.",
    "david.ashworth@example.org": "Late-evening releases and the in-jokes in our engineering "
    "channels decide who feels part of the team long before anyone is assessed.",
    "senior@example.org": "Headcount and budget decisions are made in rooms where the people "
    "affected are never present, and nobody explains them afterwards.",
}

# The evaluation survey: the most important thing each person learned.
LEARNED_MOST: dict[str, str] = {
    "senior@example.org": "That processes I thought of as neutral, like how we approve "
    "overtime and training budgets, land very differently depending on who you are.",
    "david.ashworth@example.org": "How much of our engineering culture I had simply stopped "
    "noticing, and how much it costs people who do not fit it.",
    "margaret.holloway@example.org": "Why our ethnic minority team leaders do not apply for "
    "management roles: it is not lack of ambition, it is what they see happen to those who do.",
    "helen.fairbairn@example.org": "To ask how a policy lands before asking whether it is "
    "compliant.",
    "catherine.whitfield@example.org": "That a confidential space has to be built and kept, "
    "not assumed because we both signed an agreement.",
    "junior@example.org": "How priorities are actually weighed at the top, and how to make a "
    "case in terms a senior leader will act on.",
    "amara.nwosu@example.org": "That I can challenge a director and be heard, and that my "
    "experience is evidence, not a complaint.",
    "priya.raman@example.org": "How decisions about funding are really made, and who I need "
    "to talk to before a proposal reaches a committee.",
    "kwame.mensah@example.org": "That senior leaders have blind spots too, and that naming one "
    "kindly can change how a whole team works.",
    "fatima.hussain@example.org": "The confidence to ask for what I need, and the words to "
    "explain why it matters to the business.",
}


def demo_start_date(today: date) -> date:
    """Commissioning began long enough ago that the programme is in its initial training stage."""
    return today - relativedelta(months=2) - timedelta(weeks=8)


def on_a_weekday(day: date) -> date:
    """The day itself, or the Monday after if it falls at a weekend."""
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


# When the demo's surveys ran: (opened, closed) this many days ago.
DEMO_SURVEY_DAYS_AGO = {"baseline": (75, 61), "initial": (30, 17), "evaluation": (12, 2)}


class Command(BaseCommand):
    help = "Create (or refresh) the demo organisation, its people and a programme under way."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        people = {email: name for email, name, *_ in DEMO_PEOPLE}
        for email, name, *_ in [*STEERING_GROUP, *COHORT, *CANDIDATES]:
            people.setdefault(email, name)
        users = {email: self._user(email, name) for email, name in people.items()}
        organisation = Organisation.objects.filter(slug=ORG_SLUG).first() or organisation_create(
            name="Northwind Group",
            slug=ORG_SLUG,
            time_zone="Europe/London",
            creator=users["admin@example.org"],
        )
        org_roles = {email: org_role for email, _, org_role, *_ in DEMO_PEOPLE}
        with scope(organisation=organisation):
            for email, user in users.items():
                Membership.objects.get_or_create(
                    user=user,
                    organisation=organisation,
                    defaults={"role": org_roles.get(email, OrgRole.MEMBER)},
                )
            programme = Programme.objects.filter(name=PROGRAMME_NAME).first()
            if programme is None:
                programme = self._programme(organisation, users["coordinator@example.org"])
            for email, _, _, role, side in DEMO_PEOPLE:
                if role:
                    programme_member_add(
                        programme=programme, user=users[email], role=role, side=side
                    )
            self._people(programme, users)
            self._selection_and_matching(programme, users)
            today = timezone.localdate(timezone.now(), organisation.zone)
            self._set_up(programme, users, today)
            self._relationships(programme, users, today)
            self._surveys(programme, users)
            self._stage_finishes(programme, organisation)
            for user in users.values():
                if programme.members.filter(user=user).exists():
                    calendar_feed_get(programme=programme, user=user)
        self._print_logins(organisation)

    def _stage_finishes(self, programme: Programme, organisation: Organisation) -> None:
        """The demo's done stages finished in the past: stage 2 a few days late, the others on
        their planned end, so the report's timeline adherence has something to say."""
        for stage in Stage.objects.filter(
            programme=programme, status=StageStatus.DONE, done_at__date=timezone.localdate()
        ):
            finished = stage.planned_end + timedelta(days=4 if stage.number == 2 else 0)
            stage.done_at = datetime.combine(finished, time(17), tzinfo=organisation.zone)
            stage.save(update_fields=["done_at"])

    def _user(self, email: str, name: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _programme(self, organisation: Organisation, coordinator: User) -> Programme:
        today = timezone.localdate(timezone.now(), organisation.zone)
        return programme_create(
            organisation=organisation,
            name=PROGRAMME_NAME,
            start_date=demo_start_date(today),
            created_by=coordinator,
            reminder_lead_days=14,
        )

    def _people(self, programme: Programme, users: dict[str, User]) -> None:
        """The steering group with whom each member represents, and the whole cohort."""
        for email, _, group, chairs in sorted(STEERING_GROUP, key=lambda member: not member[3]):
            programme_member_add(
                programme=programme,
                user=users[email],
                role=Role.STEERING,
                stakeholder_group=group,
                is_chair=chairs,
            )
        for email, _, side, _, _ in COHORT:
            programme_member_add(
                programme=programme, user=users[email], role=Role.PARTICIPANT, side=side
            )

    def _selection_and_matching(self, programme: Programme, users: dict[str, User]) -> None:
        """Stage 3 done: every candidate's profile and one-pager, diversity answers where given,
        the selection decisions and notes, and the published pairs. Only ever done once."""
        if Pair.objects.filter(programme=programme).exists() or (
            Profile.objects.filter(programme=programme).exclude(hoped_learning="").exists()
        ):
            return
        coordinator = users["coordinator@example.org"]
        sides = {email: side for email, _, side, *_ in [*COHORT, *CANDIDATES]}
        profiles = {
            email: participant_add(programme=programme, user=users[email], side=side)
            for email, side in sides.items()
        }
        for email, profile in profiles.items():
            profile_update(profile=profile, values=PROFILES[email])
            if email in DIVERSITY:
                diversity_answers_give(profile=profile, answers=DIVERSITY[email])
        for email, _, _, decision, red_flag, note in CANDIDATES:
            selection_note_add(
                profile=profiles[email], author=coordinator, text=note, red_flag=red_flag
            )
            self._decide(programme, profiles[email], decision)
        for email, *_ in COHORT:
            self._decide(programme, profiles[email], Decision.SELECTED)
        senior, junior = (profiles[email] for email in LOCKED_PAIR)
        pair_propose(programme=programme, senior=senior, junior=junior)
        matching_run(programme=programme)
        matching_publish(programme=programme, by=coordinator)

    def _decide(self, programme: Programme, profile: Profile, decision: str) -> None:
        subject, body = DEFAULT_DECISION_WORDS[decision]
        decision_record(
            profile=profile,
            decision=decision,
            subject=subject.format(programme=programme.name),
            body=body.format(programme=programme.name),
        )

    def _set_up(self, programme: Programme, users: dict[str, User], today: date) -> None:
        stages = {stage.number: stage for stage in Stage.objects.filter(programme=programme)}
        if not programme.purpose:
            programme_setup_update(
                programme=programme,
                purpose=PURPOSE,
                scope=SCOPE,
                initiative_links=INITIATIVE_LINKS,
                selection_criteria=SELECTION_CRITERIA,
                planned_pairs=16,
                duration_months=6,
            )
        ethics_statement_set(programme=programme, text=ETHICS_STATEMENT)
        for email, _, _, acknowledged, _ in COHORT:
            if acknowledged:
                ethics_acknowledge(programme=programme, user=users[email])
        if not CommissioningSignOff.objects.filter(programme=programme).exists():
            sign_off_record(
                programme=programme,
                signed_off_by="Northwind executive board",
                signed_off_on=on_a_weekday(stages[1].planned_start + timedelta(weeks=6)),
                note=SIGN_OFF_NOTE,
                recorded_by=users["executive@example.org"],
            )
        self._plan(stages, users)
        self._training(programme, stages, users)
        self._resources(programme, users["coordinator@example.org"])
        for stage in stages.values():
            stage_status_refresh(stage=stage)

    def _relationships(self, programme: Programme, users: dict[str, User], today: date) -> None:
        """The relationships five weeks in, a pair in every state the coordinator's dashboard
        tells apart: thriving, ordinary, quiet for weeks, flagged, ended early. Only ever done
        once: the services date what they write now, so only meeting and check-in dates (and
        when the pairs were published) are set in the past."""
        if Meeting.objects.filter(pair__programme=programme).exists():
            return
        zone = programme.organisation.zone
        published = datetime.combine(today - timedelta(days=PUBLISHED_DAYS_AGO), time(9), zone)
        Pair.objects.filter(programme=programme).update(published_at=published)
        coordinator = users["coordinator@example.org"]
        pairs = Pair.objects.filter(programme=programme, status=PairStatus.ACTIVE).select_related(
            "senior", "junior", "programme"
        )
        for pair in pairs:
            story = RELATIONSHIPS.get(pair.senior.email)
            if story is None:
                continue
            partners = {"senior": users[pair.senior.email], "junior": users[pair.junior.email]}
            names = {side: partner.full_name.split()[0] for side, partner in partners.items()}
            pair_steward_set(pair=pair, steering_member=users[story.steward])
            agreement = agreement_propose(
                pair=pair, by=partners[story.proposed_by], values=story.agreement
            )
            if story.agreed:
                other = "junior" if story.proposed_by == "senior" else "senior"
                agreement_confirm(
                    agreement=agreement, by=partners[other], version=agreement.version
                )
            for side, text in story.goals:
                goal_add(pair=pair, owner=partners[side], text=text)
            for demo in sorted(story.meetings, key=lambda meeting: -meeting.days_ago):
                meeting = meeting_log(
                    pair=pair,
                    by=partners[demo.logged_by],
                    values={
                        "date": on_a_weekday(today - timedelta(days=demo.days_ago)),
                        "duration_minutes": demo.minutes,
                        "mode": demo.mode,
                        "location": demo.location,
                        "shared_notes": demo.notes,
                    },
                )
                for side, text in demo.reflections.items():
                    reflection_save(meeting=meeting, author=partners[side], text=text)
                for side, (spoke_openly, learned, partner_learned, going) in demo.pulses.items():
                    pulse_record(
                        meeting=meeting,
                        author=partners[side],
                        answers={
                            "spoke_openly": spoke_openly,
                            "learned": learned,
                            "partner_learned": partner_learned,
                            "going": going,
                        },
                    )
            for days_ago, status, note in story.checkins:
                checkin_log(
                    pair=pair,
                    by=users[story.steward],
                    day=on_a_weekday(today - timedelta(days=days_ago)),
                    status=status,
                    note=note,
                )
            if story.concern is not None:
                side, text = story.concern
                concern = concern_raise(pair=pair, by=partners[side], text=text)
                for kind, note in story.concern_actions:
                    concern_act(
                        concern=concern,
                        by=coordinator,
                        kind=kind,
                        note=note.format(senior=names["senior"], junior=names["junior"]),
                    )

    def _surveys(self, programme: Programme, users: dict[str, User]) -> None:
        """Everyone in a pair has answered the baseline, initial and evaluation surveys, so the
        evaluation report has figures to show on both sides. Only ever done once."""
        surveys_standard_create(programme=programme)  # a demo seeded before surveys lacks them
        surveys = list(Survey.objects.filter(programme=programme, kind__in=SURVEY_ORDER))
        if Response.objects.filter(survey__in=surveys, submitted_at__isnull=False).exists():
            return
        pairs = (
            Pair.objects.filter(programme=programme)
            .exclude(status=PairStatus.PROPOSED)
            .select_related("senior", "junior")
        )
        senior_of = {pair.junior.email: pair.senior.email for pair in pairs}
        senior_of.update({pair.senior.email: pair.senior.email for pair in pairs})
        respondents = [(email, side) for email, _, side, *_ in COHORT if email in senior_of]
        today = timezone.localdate()
        for survey in sorted(surveys, key=lambda survey: SURVEY_ORDER.index(survey.kind)):
            questions = list(Question.objects.filter(survey=survey))
            opens_on, closes_on = survey.opens_on, survey.closes_on
            # response_save takes answers only while a survey is open today, and the demo's
            # surveys open in the past or the future: open each one just while the demo answers
            # are recorded, then put its own dates back.
            Survey.objects.filter(pk=survey.pk).update(
                opens_on=min(opens_on, today), closes_on=max(closes_on, today)
            )
            survey.refresh_from_db()
            try:
                for person, (email, side) in enumerate(respondents):
                    answers = {
                        question.pk: self._survey_answer(
                            survey.kind, question, item, email, side, person, senior_of[email]
                        )
                        for item, question in enumerate(questions)
                    }
                    response_save(
                        survey=survey, respondent=users[email], answers=answers, submit=True
                    )
            finally:
                # Results show only once a survey has closed. The demo tells a programme's whole
                # story, so its surveys are closed already, even the evaluation its timeline
                # places later, and the demo evaluation report is full.
                days_ago = DEMO_SURVEY_DAYS_AGO[survey.kind]
                Survey.objects.filter(pk=survey.pk).update(
                    opens_on=today - timedelta(days=days_ago[0]),
                    closes_on=today - timedelta(days=days_ago[1]),
                )

    def _survey_answer(
        self,
        kind: str,
        question: Question,
        item: int,
        email: str,
        side: str,
        person: int,
        senior: str,
    ) -> object:
        """One demo answer: the typical answer for the side, varied by person and item."""

        def vary(shift: int) -> int:
            return SURVEY_VARIATION[(3 * person + item + shift) % len(SURVEY_VARIATION)]

        key = question.key
        if key in OUTCOME_ANSWERS and kind in (SurveyKind.BASELINE, SurveyKind.EVALUATION):
            baseline, evaluation = OUTCOME_ANSWERS[key][0 if side == Side.SENIOR else 1]
            if kind == SurveyKind.BASELINE:
                value = baseline + vary(0)
            else:
                value = evaluation + vary(5) + EVALUATION_LEAN.get(email, 0)
            top = 10 if question.kind == QuestionKind.SCALE10 else 5
            return max(0 if top == 10 else 1, min(top, value))
        if key == "themes":
            return SURVEY_THEMES.get(email, "")
        if key == "learned_most":
            return LEARNED_MOST.get(email, "")
        if key == "rel_frequency" and question.choices:
            return question.choices[min(MEETINGS_SO_FAR.get(senior, 2), len(question.choices) - 1)]
        if question.kind == QuestionKind.AGREE:
            return max(3, min(5, 4 + vary(0)))  # the relationship items, and any others
        if question.kind == QuestionKind.SCALE10:
            return 6 + vary(0)
        if question.kind == QuestionKind.SINGLE:
            return question.choices[0] if question.choices else ""
        if question.kind == QuestionKind.MULTIPLE:
            return question.choices[:1]
        return ""

    def _plan(self, stages: dict[int, Stage], users: dict[str, User]) -> None:
        """Stages 1-3 done; stage 4 part done, with one task overdue; some tasks owned by name."""
        for number, title, email, days, _ in EXTRA_TASKS:
            stage = stages[number]
            if not StageTask.objects.filter(stage=stage, title=title).exists():
                task_save(
                    stage=stage,
                    title=title,
                    due_date=stage.planned_start + timedelta(days=days),
                    responsible_user=users[email],
                )
        overdue_stage, overdue_title, overdue_days = OVERDUE_TASK
        for task in StageTask.objects.filter(stage__in=stages.values()).select_related("stage"):
            key = (task.stage.number, task.title)
            owner = users.get(TASK_OWNERS.get(key, ""))
            due_date = task.due_date if task.due_pinned else None
            if key == (overdue_stage, overdue_title):
                due_date = task.stage.planned_start + timedelta(days=overdue_days)
            if (owner and task.responsible_user_id != owner.pk) or (
                due_date is not None and task.due_date != due_date
            ):
                task_save(
                    stage=task.stage,
                    title=task.title,
                    due_date=due_date,
                    responsible_user=owner or task.responsible_user,
                    responsible_role=""
                    if owner or task.responsible_user
                    else task.responsible_role,
                    task=task,
                )
            if task.stage.number <= 3:
                status = TaskStatus.DONE
            elif task.stage.number == 4:
                status = STAGE_4_STATUSES.get(task.title, TaskStatus.TODO)
            else:
                continue
            if task.status != status:
                task_status_set(task=task, status=status)

    def _training(
        self, programme: Programme, stages: dict[int, Stage], users: dict[str, User]
    ) -> None:
        """The intensive day has been; the senior-side briefing is next; a workshop later on."""
        zone = programme.organisation.zone
        training = stages[4]
        sessions = [
            {
                "title": "Intensive day",
                "kind": TrainingKind.INITIAL,
                "format": TrainingFormat.IN_PERSON,
                "audience": TrainingAudience.EVERYONE,
                "starts_at": datetime.combine(
                    on_a_weekday(training.planned_start + timedelta(days=8)), time(9, 30), zone
                ),
                "duration_minutes": 420,
                "location": "Northwind House, Leeds: 5th floor training suite",
                "topics": "What reciprocal mentoring is and is not; privilege and power; "
                "espoused and lived values; the ground rules; listening and curious questions; "
                "a first conversation in pairs; what to do when a relationship struggles.",
            },
            {
                "title": "Senior-side briefing",
                "kind": TrainingKind.INITIAL,
                "format": TrainingFormat.VIRTUAL,
                "audience": TrainingAudience.SENIOR,
                "starts_at": datetime.combine(
                    on_a_weekday(training.planned_end - timedelta(days=4)), time(12, 30), zone
                ),
                "duration_minutes": 90,
                "location": "https://meet.example.org/northwind-senior-briefing",
                "topics": "Being mentored by a junior colleague; leaving rank at the door; what "
                "you may and may not act on; mentoring is not sponsorship.",
            },
            {
                "title": "Follow-up workshop: keeping the relationship going",
                "kind": TrainingKind.FOLLOW_UP,
                "format": TrainingFormat.IN_PERSON,
                "audience": TrainingAudience.EVERYONE,
                "starts_at": datetime.combine(
                    on_a_weekday(programme.relationships_start + timedelta(weeks=6)),
                    time(13, 30),
                    zone,
                ),
                "duration_minutes": 180,
                "location": "Northwind House, Leeds: 5th floor training suite",
                "topics": "What the pairs have learned so far; stuck conversations; "
                "preparing themes for the first combined group session.",
            },
        ]
        for values in sessions:
            if TrainingSession.objects.filter(programme=programme, title=values["title"]).exists():
                continue
            session = training_session_save(programme=programme, values=values)
            if values["title"] == "Intensive day":
                attended = [users[email].pk for email, *_, came in COHORT if came]
                attendance_set(session=session, participant_ids=attended)

    def _resources(self, programme: Programme, coordinator: User) -> None:
        for title, description, audience, url, file_name in RESOURCES:
            if Resource.objects.filter(programme=programme, title=title).exists():
                continue
            upload = None
            if file_name:
                upload = SimpleUploadedFile(
                    file_name, SENIOR_BRIEFING_NOTE.encode(), content_type="text/markdown"
                )
            resource_add(
                programme=programme,
                title=title,
                description=description,
                audience=audience,
                added_by=coordinator,
                url=url,
                upload=upload,
            )

    def _print_logins(self, organisation: Organisation) -> None:
        self.stdout.write(
            self.style.SUCCESS(f"Demo organisation: {organisation.name} (/o/{organisation.slug}/)")
        )
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        for email, name, org_role, role, side in DEMO_PEOPLE:
            what = Role(role).label if role else OrgRole(org_role).label
            if side:
                what = f"{what}, {Side(side).label.lower()}"
            self.stdout.write(f"  {email:<26} {name:<20} {what}")
        listed = {email for email, *_ in DEMO_PEOPLE}
        others = [email for email, *_ in [*STEERING_GROUP, *COHORT] if email not in listed]
        self.stdout.write(
            f"  and {len(others)} more steering members and participants, e.g. {others[0]}"
        )
