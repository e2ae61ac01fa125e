//! `--help` in French: the texts of `iep --help` and of the main commands' help, by command and
//! by argument, put over the English ones (the doc comments in `cli.rs`) when French is chosen.
//! Only words: which commands and arguments exist stays in `cli.rs`, and a test checks that
//! every argument of these commands has its French text, so no English is left in their help.

/// The commands whose help is in French, besides `iep` itself.
pub const COMMANDS: [&str; 6] = ["write", "init", "reply", "due", "log", "send"];

/// (command, what, text): `command` is `""` for `iep` itself or a subcommand's name; `what` is
/// `about` (the one-line summary, as `iep --help` lists it), `long-about`, `after-help`
/// (the examples), or an argument's id. Typography: a no-break space before « : ; ? ! ».
pub static TEXTS: &[(&str, &str, &str)] = &[
    (
        "",
        "about",
        "Lettres et courriels pour le plan d'intervention d'un enfant, justes pour l'endroit où vous vivez.",
    ),
    (
        "",
        "long-about",
        "Lettres et courriels pour le plan d'intervention d'un enfant, justes pour l'endroit où vous vivez.\n\niep vous pose des questions simples et écrit la lettre\u{a0}: une demande de plan d'intervention, une mesure du plan qui n'est pas appliquée, une demande de preuves de progrès, ou l'étape suivante d'un recours. Commencez par `iep letters`, puis `iep write <lettre>`.",
    ),
    (
        "",
        "after-help",
        "Exemples\u{a0}:\n  iep letters                          à quoi sert chaque lettre\n  iep write mesure-non-appliquee       en écrire une, en répondant à des questions simples\n  iep init dossier-samuel              ouvrir un dossier\u{a0}: la trace datée de chaque lettre\n  iep due                              les réponses en retard, et quoi écrire ensuite",
    ),
    (
        "",
        "templates",
        "Un dossier de lettres et de lieux ajoutés ou remplacés, organisé comme ceux d'iep (letters/, jurisdictions/). Peut être donné plus d'une fois\u{a0}; le dernier l'emporte",
    ),
    (
        "",
        "case",
        "Le dossier iep à utiliser. Par défaut\u{a0}: IEP_CASE, ou le dossier le plus proche, ici ou au-dessus, qui contient un iep-case.toml (comme git trouve un dépôt)",
    ),
    (
        "",
        "no_input",
        "Ne rien demander\u{a0}: échouer en donnant la liste de ce qui manque. Implicite sans terminal",
    ),
    (
        "",
        "date",
        "La date de ce que vous écrivez ou notez\u{a0}: celle d'une lettre (iep write), d'une observation (iep observe) ou d'une réponse (iep reply), de 2000 à 2100. Par défaut\u{a0}: aujourd'hui",
    ),
    (
        "",
        "lang",
        "La langue des questions et de la lettre\u{a0}: en (anglais) ou fr (français). Par défaut\u{a0}: la langue du dossier, puis `lang` dans votre settings.toml, puis LC_ALL, LC_MESSAGES ou LANG (fr_CA, fr_FR… veulent dire français), puis l'anglais",
    ),
    (
        "letters",
        "about",
        "Donner la liste des lettres, ou les questions d'une lettre",
    ),
    (
        "jurisdictions",
        "about",
        "Donner la liste des lieux, ou le détail d'un lieu\u{a0}: plan, responsables, délais, recours",
    ),
    (
        "write",
        "about",
        "Écrire une lettre\u{a0}: répondre aux questions, vérifier les réponses, enregistrer",
    ),
    (
        "init",
        "about",
        "Ouvrir un dossier\u{a0}: votre enfant, l'école, les personnes à qui vous écrivez. Demandé une seule fois",
    ),
    (
        "case",
        "about",
        "Voir ou changer le dossier\u{a0}: `iep case show`, `iep case edit`",
    ),
    (
        "log",
        "about",
        "L'historique du dossier\u{a0}: chaque lettre, à qui, son état et la réponse",
    ),
    (
        "due",
        "about",
        "Les lettres dont la réponse est en retard, la plus ancienne d'abord, et quoi écrire ensuite",
    ),
    (
        "observe",
        "about",
        "Noter une mesure qui n'a pas été appliquée, avec la date, pendant que c'est frais",
    ),
    (
        "reply",
        "about",
        "Noter la réponse à une lettre\u{a0}: quand, de qui, ce qu'elle dit, à quelles questions elle répond",
    ),
    (
        "send",
        "about",
        "Envoyer par courriel une lettre notée, de votre propre compte (voir `iep config smtp`)",
    ),
    (
        "edit",
        "about",
        "Changer une lettre pas encore envoyée\u{a0}: elle s'ouvre dans votre éditeur ($VISUAL ou $EDITOR), et son courriel est mis à jour",
    ),
    (
        "sent",
        "about",
        "Noter que vous avez envoyé une lettre vous-même (de votre logiciel de courriel, sur papier, en main propre)",
    ),
    (
        "outbox",
        "about",
        "Les lettres dont l'envoi n'a pas abouti\u{a0}: échec pour l'instant, refus du serveur, ou envoi non confirmé. `iep outbox drop LETTRE` en retire une",
    ),
    (
        "print",
        "about",
        "Faire d'une lettre notée un PDF à imprimer, signer et remettre (letter.pdf dans son dossier)",
    ),
    (
        "bundle",
        "about",
        "Un seul PDF du dossier pour le centre de services scolaire, le protecteur de l'élève ou un tribunal\u{a0}: la chronologie, chaque lettre au complet, les réponses, les observations et les fichiers joints, pages numérotées",
    ),
    (
        "config",
        "about",
        "Vos réglages\u{a0}: `iep config smtp` configure le compte de courriel d'où partent les lettres",
    ),
    (
        "check",
        "about",
        "Lire le texte d'un plan d'intervention et relever les formulations trop vagues pour être appliquées. Code de sortie\u{a0}: 0 si rien n'est trouvé, 1 si quelque chose l'est, 2 si le fichier n'a pas pu être vérifié",
    ),
    (
        "pack",
        "about",
        "Paquets de modèles pour les organismes d'aide aux familles\u{a0}: `iep pack new`, `iep pack check`",
    ),
    (
        "serve",
        "about",
        "Les mêmes lettres et le même dossier dans une page de votre navigateur, servie sur cet ordinateur seulement",
    ),
    (
        "completions",
        "about",
        "Afficher la complétion pour votre interpréteur de commandes\u{a0}: `iep completions bash > ~/.local/share/bash-completion/completions/iep`",
    ),
    (
        "man",
        "about",
        "Afficher la page de manuel (roff)\u{a0}: `iep man > ~/.local/share/man/man1/iep.1`, puis `man iep`",
    ),
    (
        "write",
        "after-help",
        "Exemples\u{a0}:\n  iep write mesure-non-appliquee\n  iep write mesure-non-appliquee --pdf\n  iep write plainte --follow-up 2026-11-23-implementation --set rung=regional-ombudsman\n  iep write demande-pi -j quebec --answers reponses.toml --output -",
    ),
    (
        "write",
        "letter",
        "La lettre à écrire (voir `iep letters`). Dans un terminal, si elle n'est pas donnée\u{a0}: la choisir dans une liste",
    ),
    (
        "write",
        "answers",
        "Prendre les réponses dans ce fichier TOML (par exemple celui qu'iep a enregistré à côté d'une lettre précédente)",
    ),
    (
        "write",
        "set",
        "Donner une réponse, sous la forme clé=valeur. À répéter pour en donner d'autres\u{a0}; répéter la clé d'une liste y ajoute un élément",
    ),
    (
        "write",
        "jurisdiction",
        "L'endroit où votre enfant va à l'école\u{a0}: ontario, british-columbia, quebec, new-zealand ou generic",
    ),
    (
        "write",
        "output",
        "Où enregistrer la lettre\u{a0}; `-` l'affiche plutôt. Par défaut\u{a0}: un fichier daté dans ce dossier, ou dans un dossier iep, une nouvelle lettre notée (ceci en est alors une copie de plus). Jamais les fichiers propres d'un dossier iep\u{a0}; un fichier existant seulement avec --force",
    ),
    (
        "write",
        "force",
        "Permettre à --output de remplacer un fichier existant (et son .answers.toml à côté)",
    ),
    (
        "write",
        "follow_up",
        "Donner suite à une lettre précédente (son identifiant, ou assez de celui-ci)\u{a0}: ses faits, sa date, son destinataire et sa réponse, ou l'absence de réponse, sont repris",
    ),
    (
        "write",
        "from_check",
        "Remplir la liste des formulations vagues de la lettre avec `iep check` sur ce plan (un fichier texte). Dans un terminal, vous choisissez celles à soulever",
    ),
    (
        "write",
        "attach",
        "Joindre un fichier au courriel (par exemple un rapport en PDF)\u{a0}; la lettre le nomme sous «\u{a0}Pièce jointe\u{a0}». Peut être donné plus d'une fois",
    ),
    (
        "write",
        "pdf",
        "Faire aussi la lettre en PDF à imprimer et signer\u{a0}: à côté du fichier de la lettre, ou dans un dossier iep, letter.pdf avec la lettre notée. (`--output lettre.pdf` enregistre seulement le PDF.)",
    ),
    (
        "write",
        "paper",
        "Le papier du PDF\u{a0}: a4 ou letter. Par défaut\u{a0}: celui de l'endroit (Letter au Canada, A4 ailleurs)",
    ),
    (
        "init",
        "after-help",
        "Exemples\u{a0}:\n  iep init dossier-samuel\n  cd dossier-samuel\n  iep write mesure-non-appliquee",
    ),
    (
        "init",
        "dir",
        "Le dossier où ouvrir le dossier iep (créé s'il n'existe pas). Par défaut\u{a0}: ce dossier-ci",
    ),
    (
        "init",
        "jurisdiction",
        "L'endroit où votre enfant va à l'école\u{a0}: ontario, british-columbia, quebec, new-zealand ou generic",
    ),
    (
        "init",
        "set",
        "Donner une réponse, sous la forme clé=valeur. À répéter pour en donner d'autres",
    ),
    (
        "init",
        "contact",
        "Une personne à qui vous écrivez, sous la forme RÔLE=NOM, avec son adresse courriel entre chevrons si vous l'avez\u{a0}: `principal=Mme Amina Patel <a.patel@ecole.example.org>`. Remplace toute personne qui a ce rôle",
    ),
    (
        "reply",
        "after-help",
        "Exemples\u{a0}:\n  iep reply 2026-11-23-implementation\n  iep reply 2026-11-23-implementation --date 2026-12-01 --answered 1,3",
    ),
    (
        "reply",
        "record",
        "La lettre à laquelle on a répondu\u{a0}: son identifiant donné par `iep log`, ou assez de celui-ci pour qu'il soit unique. Dans un terminal, si elle n'est pas donnée\u{a0}: la choisir parmi les lettres qui attendent une réponse",
    ),
    ("reply", "from", "Qui a répondu"),
    ("reply", "summary", "Ce que disait la réponse"),
    (
        "reply",
        "answered",
        "Les numéros des questions de la lettre auxquelles la réponse a répondu, par exemple 1,3 (voir `iep log LETTRE`)\u{a0}; `all` (toutes) ou `none` (aucune)",
    ),
    (
        "due",
        "after-help",
        "Exemples\u{a0}:\n  iep due\n  iep due --on 2026-12-15",
    ),
    (
        "due",
        "on",
        "Compter comme si aujourd'hui était ce jour (AAAA-MM-JJ)\u{a0}: qu'est-ce qui sera en retard d'ici là\u{a0}?",
    ),
    ("due", "json", "Afficher en JSON, pour les scripts"),
    (
        "log",
        "after-help",
        "Exemples\u{a0}:\n  iep log\n  iep log 2026-11-23-implementation\n  iep log --export md",
    ),
    (
        "log",
        "record",
        "Montrer cette lettre au complet\u{a0}: ses questions, son historique, la réponse",
    ),
    (
        "log",
        "since",
        "Seulement les lettres datées de ce jour ou après (AAAA-MM-JJ)",
    ),
    (
        "log",
        "until",
        "Seulement les lettres datées de ce jour ou avant (AAAA-MM-JJ)",
    ),
    (
        "log",
        "letter",
        "Seulement ce genre de lettre, par exemple implementation-concern. Peut être répété",
    ),
    (
        "log",
        "json",
        "Afficher les lettres en JSON, pour les scripts",
    ),
    (
        "log",
        "export",
        "Écrire une chronologie datée des lettres, des réponses et des observations, à joindre à une plainte",
    ),
    (
        "log",
        "output",
        "Où écrire l'exportation. Par défaut\u{a0}: chronology.md ou chronology.csv dans le dossier iep (remplacé à chaque exportation)\u{a0}; `-` l'affiche. Jamais les fichiers propres d'un dossier iep\u{a0}; un fichier existant seulement avec --force",
    ),
    (
        "log",
        "force",
        "Permettre à --output de remplacer un fichier existant",
    ),
    (
        "send",
        "after-help",
        "Exemples\u{a0}:\n  iep send 2026-11-23-implementation   (toute partie unique de l'identifiant)\n  iep send 2026-11-23-implementation --dry-run\n  iep send --queued",
    ),
    (
        "send",
        "record",
        "La lettre à envoyer\u{a0}: son identifiant donné par `iep log`, ou assez de celui-ci pour qu'il soit unique",
    ),
    (
        "send",
        "queued",
        "Envoyer chaque lettre de la boîte d'envoi (celles qu'un essai raté a laissées en attente)",
    ),
    (
        "send",
        "dry_run",
        "Afficher le message exact qui serait envoyé, et ne rien envoyer",
    ),
    (
        "send",
        "yes",
        "Envoyer sans demander d'abord (pour les scripts)",
    ),
    (
        "send",
        "again",
        "Envoyer de nouveau une lettre déjà envoyée",
    ),
];

/// Argument value names in French (`<DIR>` becomes `<DOSSIER>`).
pub static VALUE_NAMES: &[(&str, &str)] = &[
    ("DIR", "DOSSIER"),
    ("FILE", "FICHIER"),
    ("PATH", "CHEMIN"),
    ("KEY=VALUE", "CLÉ=VALEUR"),
    ("ROLE=NAME", "RÔLE=NOM"),
    ("RECORD", "LETTRE"),
    ("LETTER", "LETTRE"),
    ("NAME", "NOM"),
    ("TEXT", "TEXTE"),
    ("LIST", "LISTE"),
    ("SIZE", "PAPIER"),
    ("LANG", "LANGUE"),
];

/// Clap's own words in a rendered help, with their French: the headings, the help flag's and
/// the possible values' texts, the usage's placeholders. Longer first where one holds another.
pub static CLAP_WORDS: &[(&str, &str)] = &[
    ("Usage:", "Utilisation\u{a0}:"),
    ("Commands:", "Commandes\u{a0}:"),
    ("Arguments:", "Arguments\u{a0}:"),
    ("Options:", "Options\u{a0}:"),
    ("Options globales:", "Options globales\u{a0}:"),
    ("Possible values:", "Valeurs possibles\u{a0}:"),
    (
        "Print help (see a summary with '-h')",
        "Afficher l'aide (un résumé avec -h)",
    ),
    (
        "Print help (see more with '--help')",
        "Afficher l'aide (plus de détails avec --help)",
    ),
    (
        "Print this message or the help of the given subcommand(s)",
        "Afficher ce message, ou l'aide de la commande donnée",
    ),
    ("Print help", "Afficher l'aide"),
    ("Print version", "Afficher la version"),
    ("- a4:", "- a4\u{a0}:"),
    ("- letter:", "- letter\u{a0}:"),
    ("- md:", "- md\u{a0}:"),
    ("- csv:", "- csv\u{a0}:"),
    ("<COMMAND>", "<COMMANDE>"),
    ("[COMMAND]", "[COMMANDE]"),
    (
        "US Letter (8.5 × 11 inches)",
        "format lettre américain (8,5 × 11 po)",
    ),
    ("ISO A4 (210 × 297 mm)", "A4 ISO (210 × 297 mm)"),
    (
        "A Markdown chronology to print or attach",
        "une chronologie en Markdown à imprimer ou à joindre",
    ),
    (
        "A spreadsheet (comma-separated values)",
        "un tableur (valeurs séparées par des virgules)",
    ),
];
