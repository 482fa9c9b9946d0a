# ruff: noqa: E501 - the demo texts are whole sentences in three languages, clearer unwrapped
"""Demo catalogue: IOM Egypt's services presented at the first roundtable, with their criteria and
the library's demo documents about them, and the announcement of that roundtable. Running it twice
adds nothing the second time. The library's demo runs first (coordination/demo/__init__.py)."""

from sqlalchemy import select

from coordination.announcements.models import Announcement
from coordination.auth.models import Role, User
from coordination.catalogue import rules
from coordination.catalogue.models import Criterion, Outcome, Service
from coordination.extensions import db
from coordination.library.models import Document
from coordination.roundtables.models import Roundtable

Q, D, A = Outcome.QUALIFIES, Outcome.DISQUALIFIES, Outcome.ASK

CRITERIA = [
    (
        "outside-country-of-origin",
        {
            "en": "Is the person outside their country of origin (here in Egypt)?",
            "fr": "La personne se trouve-t-elle hors de son pays d'origine (ici, en Égypte) ?",
            "ar": "هل الشخص خارج بلده الأصلي (هنا في مصر)؟",
        },
        {
            "en": "IOM Egypt assists migrants in Egypt; Egyptian nationals abroad are helped by IOM in the country where they are.",
            "fr": "L'OIM Égypte aide les migrants en Égypte ; les Égyptiens à l'étranger sont aidés par l'OIM du pays où ils se trouvent.",
            "ar": "تساعد المنظمة الدولية للهجرة في مصر المهاجرين الموجودين في مصر؛ أما المصريون في الخارج فتساعدهم المنظمة في البلد الذي يوجدون فيه.",
        },
    ),
    (
        "wishes-to-return",
        {
            "en": "Does the person wish to return to their country of origin voluntarily?",
            "fr": "La personne souhaite-t-elle retourner volontairement dans son pays d'origine ?",
            "ar": "هل يرغب الشخص في العودة طوعًا إلى بلده الأصلي؟",
        },
        {
            "en": "The decision must be the person's own, free and informed. \"Don't know\" is fine: IOM counsels them first.",
            "fr": "La décision doit être celle de la personne, libre et éclairée. « Je ne sais pas » convient : l'OIM la conseille d'abord.",
            "ar": "يجب أن يكون القرار قرار الشخص نفسه، حرًا ومستنيرًا. لا بأس بالإجابة «لا أعرف»: تقدم المنظمة المشورة أولًا.",
        },
    ),
    (
        "travel-documents",
        {
            "en": "Does the person hold valid travel documents, or can their embassy issue them?",
            "fr": "La personne a-t-elle des documents de voyage valides, ou son ambassade peut-elle les délivrer ?",
            "ar": "هل يحمل الشخص وثائق سفر سارية، أو تستطيع سفارته إصدارها؟",
        },
        {
            "en": "A passport, or an emergency travel document or laissez-passer from the embassy.",
            "fr": "Un passeport, ou un titre de voyage d'urgence ou laissez-passer délivré par l'ambassade.",
            "ar": "جواز سفر، أو وثيقة سفر طارئة أو تصريح مرور من السفارة.",
        },
    ),
    (
        "vulnerable-situation",
        {
            "en": "Is the person in a vulnerable situation: an unaccompanied or separated child, a victim of trafficking, or someone with a medical need?",
            "fr": "La personne est-elle en situation de vulnérabilité : enfant non accompagné ou séparé, victime de traite, ou besoin médical ?",
            "ar": "هل الشخص في وضع هش: طفل غير مصحوب أو منفصل عن ذويه، أو ضحية للاتجار بالبشر، أو لديه حاجة طبية؟",
        },
        {},
    ),
    (
        "medical-need",
        {
            "en": "Does the person have a medical need that requires care or a health assessment?",
            "fr": "La personne a-t-elle un besoin médical nécessitant des soins ou un bilan de santé ?",
            "ar": "هل لدى الشخص حاجة طبية تتطلب رعاية أو تقييمًا صحيًا؟",
        },
        {},
    ),
    (
        "registered-refugee",
        {
            "en": "Is the person registered with UNHCR as a refugee or asylum seeker?",
            "fr": "La personne est-elle enregistrée auprès du HCR comme réfugiée ou demandeuse d'asile ?",
            "ar": "هل الشخص مسجل لدى المفوضية السامية للأمم المتحدة لشؤون اللاجئين كلاجئ أو طالب لجوء؟",
        },
        {
            "en": "Refugees and asylum seekers are assisted with UNHCR; IOM checks each case with them.",
            "fr": "Les réfugiés et demandeurs d'asile sont aidés avec le HCR ; l'OIM examine chaque cas avec lui.",
            "ar": "يتلقى اللاجئون وطالبو اللجوء المساعدة بالتنسيق مع المفوضية؛ وتدرس المنظمة كل حالة معها.",
        },
    ),
]

CONTACT = {
    "en": "Migrant Protection and Assistance Unit, IOM Egypt — +20 2 2736 5140/1, mpa-cairo@iom-egypt.example",
    "fr": "Unité de protection et d'assistance aux migrants, OIM Égypte — +20 2 2736 5140/1, mpa-cairo@iom-egypt.example",
    "ar": "وحدة حماية ومساعدة المهاجرين، المنظمة الدولية للهجرة في مصر — ‎+20 2 2736 5140/1، mpa-cairo@iom-egypt.example",
}
UNIT = {
    "en": "Migrant Protection and Assistance Unit",
    "fr": "Unité de protection et d'assistance aux migrants",
    "ar": "وحدة حماية ومساعدة المهاجرين",
}
WHERE = {
    "en": "IOM Egypt, 47C Abou El Feda Street, Zamalek, Cairo (by referral or walk-in)",
    "fr": "OIM Égypte, 47C rue Abou El Feda, Zamalek, Le Caire (sur orientation ou sans rendez-vous)",
    "ar": "المنظمة الدولية للهجرة، 47 ج شارع أبو الفدا، الزمالك، القاهرة (بإحالة أو بدون موعد)",
}
HOURS = {
    "en": "Sunday to Thursday, 9:00–15:00",
    "fr": "Du dimanche au jeudi, 9 h – 15 h",
    "ar": "من الأحد إلى الخميس، 9:00–15:00",
}

SERVICES = [
    {
        "key": "localized-assistance",
        "service_area": "localized_assistance",
        "texts": {
            "name": {"en": "Localized assistance", "fr": "Assistance localisée", "ar": "المساعدة المحلية"},
            "summary": {
                "en": "Direct help for vulnerable migrants stranded in Egypt: case management, cash and in-kind assistance, psychosocial support, and referrals to shelter, education and legal aid.",
                "fr": "Aide directe aux migrants vulnérables bloqués en Égypte : suivi individuel, aide en espèces et en nature, soutien psychosocial, orientation vers l'hébergement, l'éducation et l'aide juridique.",
                "ar": "مساعدة مباشرة للمهاجرين المستضعفين العالقين في مصر: إدارة الحالات، ومساعدات نقدية وعينية، ودعم نفسي واجتماعي، وإحالات إلى المأوى والتعليم والمساعدة القانونية.",
            },
            "unit": UNIT,
            "access_steps": {
                "en": "1. The embassy or a partner refers the person by phone or e-mail.\n2. IOM screens the case within five working days.\n3. A case worker agrees a support plan with the person.",
                "fr": "1. L'ambassade ou un partenaire oriente la personne par téléphone ou courriel.\n2. L'OIM examine le cas sous cinq jours ouvrables.\n3. Un travailleur social convient d'un plan d'aide avec la personne.",
                "ar": "1. تحيل السفارة أو أحد الشركاء الشخص هاتفيًا أو بالبريد الإلكتروني.\n2. تدرس المنظمة الحالة خلال خمسة أيام عمل.\n3. يتفق مسؤول الحالة مع الشخص على خطة دعم.",
            },
            "access_where": WHERE,
            "hours": HOURS,
            "contact": CONTACT,
            "documents_needed": {
                "en": "Any identity document if the person has one (not required to be screened).",
                "fr": "Toute pièce d'identité si la personne en a une (non exigée pour l'examen).",
                "ar": "أي وثيقة هوية إن وجدت (ليست شرطًا لدراسة الحالة).",
            },
            "languages_served": {
                "en": "Arabic, English, French, Tigrinya, Amharic, Somali (through interpreters)",
                "fr": "arabe, anglais, français, tigrinya, amharique, somali (avec interprètes)",
                "ar": "العربية، الإنجليزية، الفرنسية، التغرينية، الأمهرية، الصومالية (عبر مترجمين)",
            },
        },
        "criteria": [
            ("outside-country-of-origin", Q, D, A),
            ("vulnerable-situation", Q, D, A),
            ("registered-refugee", A, Q, A),
        ],
        "documents": ["Localized assistance: how to refer a migrant"],
    },
    {
        "key": "avrr",
        "service_area": "avrr",
        "texts": {
            "name": {
                "en": "Assisted voluntary return and reintegration (AVRR)",
                "fr": "Aide au retour volontaire et à la réintégration (AVRR)",
                "ar": "العودة الطوعية المدعومة وإعادة الإدماج",
            },
            "summary": {
                "en": "Counselling, travel documents with the embassy, the ticket home, an allowance on arrival and reintegration support in the country of origin.",
                "fr": "Conseil, documents de voyage avec l'ambassade, billet de retour, allocation à l'arrivée et aide à la réintégration dans le pays d'origine.",
                "ar": "المشورة، ووثائق السفر بالتنسيق مع السفارة، وتذكرة العودة، وبدل عند الوصول، ودعم إعادة الإدماج في بلد المنشأ.",
            },
            "unit": UNIT,
            "access_steps": {
                "en": "1. Refer the person to IOM; IOM counsels them on return.\n2. The embassy confirms nationality and issues travel documents.\n3. IOM books the journey and, with partners, plans reintegration at home.",
                "fr": "1. Orientez la personne vers l'OIM, qui la conseille sur le retour.\n2. L'ambassade confirme la nationalité et délivre les documents de voyage.\n3. L'OIM organise le voyage et, avec ses partenaires, prépare la réintégration.",
                "ar": "1. أحِل الشخص إلى المنظمة التي تقدم له المشورة بشأن العودة.\n2. تؤكد السفارة الجنسية وتصدر وثائق السفر.\n3. تحجز المنظمة الرحلة وتخطط مع شركائها لإعادة الإدماج.",
            },
            "access_where": WHERE,
            "hours": HOURS,
            "contact": CONTACT,
            "documents_needed": {
                "en": "Passport or emergency travel document; exit visa settlement if the residence permit has expired.",
                "fr": "Passeport ou titre de voyage d'urgence ; régularisation du visa de sortie si le permis de séjour a expiré.",
                "ar": "جواز سفر أو وثيقة سفر طارئة؛ وتسوية تأشيرة الخروج إذا انتهت صلاحية الإقامة.",
            },
            "languages_served": {
                "en": "Arabic, English, French and interpreters on request",
                "fr": "arabe, anglais, français et interprètes sur demande",
                "ar": "العربية والإنجليزية والفرنسية ومترجمون عند الطلب",
            },
            "other_references": {
                "en": "AVRR referral form and the list of reintegration partners by country (in the shared library).",
            },
        },
        "criteria": [
            ("outside-country-of-origin", Q, D, A),
            ("wishes-to-return", Q, D, A),
            ("travel-documents", Q, D, A),
            ("registered-refugee", A, Q, A),
        ],
        "documents": ["AVRR eligibility criteria"],
    },
    {
        "key": "migrant-health",
        "service_area": "health",
        "texts": {
            "name": {
                "en": "Health assistance for migrants",
                "fr": "Assistance sanitaire aux migrants",
                "ar": "المساعدة الصحية للمهاجرين",
            },
            "summary": {
                "en": "Primary care referrals, coverage of urgent treatment, mental health support, and fitness-to-travel checks before return.",
                "fr": "Orientation vers les soins primaires, prise en charge de traitements urgents, santé mentale, et examen d'aptitude au voyage avant le retour.",
                "ar": "الإحالة إلى الرعاية الأولية، وتغطية العلاج العاجل، ودعم الصحة النفسية، وفحص اللياقة للسفر قبل العودة.",
            },
            "unit": {
                "en": "Migration Health Unit",
                "fr": "Unité santé et migration",
                "ar": "وحدة صحة المهاجرين",
            },
            "access_steps": {
                "en": "Call the contact point; in an emergency go to the nearest public hospital and call IOM from there.",
                "fr": "Appelez le point de contact ; en urgence, allez à l'hôpital public le plus proche et appelez l'OIM de là-bas.",
                "ar": "اتصل بجهة الاتصال؛ وفي الحالات الطارئة توجه إلى أقرب مستشفى عام واتصل بالمنظمة من هناك.",
            },
            "access_where": WHERE,
            "hours": {
                "en": "Sunday to Thursday, 9:00–15:00; emergencies by phone at any time",
                "ar": "من الأحد إلى الخميس، 9:00–15:00؛ والطوارئ هاتفيًا في أي وقت",
            },
            "contact": CONTACT,
            "documents_needed": {
                "en": "Medical reports if any; no identity document is needed for emergencies.",
                "fr": "Rapports médicaux s'il y en a ; aucune pièce d'identité n'est exigée en urgence.",
                "ar": "التقارير الطبية إن وجدت؛ ولا تشترط وثيقة هوية في حالات الطوارئ.",
            },
        },
        "criteria": [
            ("outside-country-of-origin", Q, D, A),
            ("medical-need", Q, D, A),
        ],
        "documents": [
            "Health services for migrants in Cairo",
            "Localized assistance: how to refer a migrant",
        ],
    },
]

# The library's demo document the announcement points to (shared with all members).
ANNOUNCEMENT_DOCUMENT = "First roundtable: presentation of services"
ANNOUNCEMENT = {
    "title": {
        "en": "Representatives from 38 embassies discuss IOM Egypt services",
        "fr": "Des représentants de 38 ambassades discutent des services de l'OIM Égypte",
        "ar": "ممثلو 38 سفارة يناقشون خدمات المنظمة الدولية للهجرة في مصر",
    },
    "body": {
        "en": "IOM welcomed embassy representatives to a roundtable on the services available to migrants: "
        "**localized assistance**, **assisted voluntary return and reintegration (AVRR)** and **health**, "
        "their eligibility criteria and how migrants can access them.\n\n"
        "Participants agreed on areas of cooperation and on regular communication through this platform. "
        "The service catalogue and its eligibility guide are now online; IOM plans to replicate the "
        "roundtable, also with migrant communities.",
        "fr": "L'OIM a accueilli des représentants d'ambassades lors d'une table ronde sur les services offerts "
        "aux migrants : **assistance localisée**, **aide au retour volontaire et à la réintégration (AVRR)** "
        "et **santé**, leurs critères d'éligibilité et la manière d'y accéder.\n\n"
        "Les participants ont convenu de domaines de coopération et d'une communication régulière par "
        "cette plateforme. Le catalogue des services et son guide d'éligibilité sont en ligne ; l'OIM "
        "prévoit de renouveler l'expérience, aussi avec les communautés de migrants.",
        "ar": "استقبلت المنظمة الدولية للهجرة ممثلي السفارات في مائدة مستديرة حول الخدمات المتاحة للمهاجرين: "
        "**المساعدة المحلية** و**العودة الطوعية المدعومة وإعادة الإدماج** و**الصحة**، ومعايير الأهلية لها "
        "وكيفية الوصول إليها.\n\n"
        "اتفق المشاركون على مجالات للتعاون وعلى تواصل منتظم عبر هذه المنصة. أصبح دليل الخدمات ومرشد الأهلية "
        "متاحين الآن، وتعتزم المنظمة تكرار التجربة، بما في ذلك مع مجتمعات المهاجرين.",
    },
}


def _demo_documents(titles: list[str]) -> list[int]:
    """The ids of the library's live demo documents with these titles (none without the library's demo)."""
    if not titles:
        return []
    return list(
        db.session.scalars(
            select(Document.id)
            .where(Document.title.in_(titles), Document.deleted_at.is_(None))
            .order_by(Document.id)
        )
    )


def seed_demo() -> int:
    """Add the demo criteria, services and announcement that are missing; returns how many services."""
    organizer = db.session.scalar(select(User).where(User.role == Role.ORGANIZER).order_by(User.id))
    if organizer is None:
        return 0
    criteria = {}
    for position, (key, question, help_text) in enumerate(CRITERIA):
        criterion = db.session.scalar(select(Criterion).where(Criterion.key == key))
        if criterion is None:
            criterion = rules.save_criterion(
                organizer, None, texts={"question": question, "help": help_text}, position=position, key=key
            )
        criteria[key] = criterion
    added = 0
    for position, spec in enumerate(SERVICES):
        if db.session.scalar(select(Service.id).where(Service.key == spec["key"])) is not None:
            continue
        links = [rules.CriterionLink(criteria[key].id, *outcomes) for key, *outcomes in spec["criteria"]]
        service = rules.save_service(
            organizer,
            None,
            texts=spec["texts"],
            service_area=spec["service_area"],
            links=links,
            position=position,
            key=spec["key"],
            document_ids=_demo_documents(spec.get("documents", [])),
        )
        rules.mark_reviewed(organizer, service)
        added += 1
    if db.session.scalar(select(Announcement.id).limit(1)) is None:
        first = db.session.scalar(
            select(Roundtable).where(Roundtable.status == "completed").order_by(Roundtable.id)
        )
        document_ids = _demo_documents([ANNOUNCEMENT_DOCUMENT])
        db.session.add(
            Announcement(
                texts=ANNOUNCEMENT,
                roundtable_id=first.id if first else None,
                document_id=document_ids[0] if document_ids else None,
                author_id=organizer.id,
            )
        )
    db.session.flush()
    return added
