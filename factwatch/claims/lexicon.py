"""Word lists for telling people from organisations, places and sentence openers."""

from __future__ import annotations

GIVEN_NAMES = frozenset(
    """
    mohammed muhammad mohamed mohammad ahmed ahmad ali hassan hussein husain omar umar khalid khaled
    abdul abdullah abdel ibrahim yusuf youssef yousef mahmoud mustafa wissam samir karim tariq fatima
    aisha layla leila mariam maryam nour amira rania hamza bilal jamal salah saleh nasser faisal
    fahd salman zayed tamim hamad qassem qasem ebrahim hossein javad abbas ayman osama yahya ismail
    marwan anwar sami rami ziad walid nabil majid hadi mahdi reza hamid saeed
    benjamin yoav isaac moshe david daniel yair avi ehud naftali itamar benny gideon yossi eli noa
    antony anthony joe john james robert michael william richard thomas charles christopher mark paul
    steven stephen andrew kevin brian george edward peter patrick jack harry oliver sam samuel tom tim
    mike chris matt matthew jonathan jon nick nicholas alex alexander ben simon martin eric frank
    scott greg gregory jeffrey jeff ryan jason justin brandon kyle tyler donald barack hillary kamala
    nancy mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa betty
    margaret sandra ashley emily emma anna hannah rachel rebecca laura helen heather julia julie kate
    catherine katherine claire sophie alice grace rose lucy amy jane joan ruth maria carlos jose
    josé juan luis miguel pedro javier diego alejandro evo pablo fernando jorge ana carmen sofia
    jean pierre jacques françois francois emmanuel marine marie louis hans fritz klaus wolfgang
    angela olaf friedrich vladimir volodymyr sergei sergey dmitry alexei ivan olga natalia yulia
    xi narendra rahul raj priya shinzo fumio recep bashar hafez nouri hosni moammar muammar cyril
    jacob nelson uhuru kofi goodluck muhammadu bola abiy yoweri felix ellen lloyd keir rishi boris
    theresa liz jeremy gordon tony nicola humza joanna ursula josep charles emmanuel giorgia
    joseph josef lee kim park chen liu zhang wei min jin hiroshi akira yuki kenji taro carl karl
    henry arthur albert walter roger gary larry dennis jerry terry sean shaun ian neil colin
    graham keith derek alan allan adam aaron noah ethan lucas liam mason logan elijah owen
    dylan luke gabriel anthony isabel isabella olivia ava mia charlotte amelia harper evelyn
    abigail ella scarlett victoria madison chloe zoe nora lily eleanor hazel violet aurora
    stella natalie leah audrey brooklyn bella claudia paola giulia marco luca giuseppe giovanni
    francesco antonio alessandro andrea matteo lorenzo stefano roberto sergio mario enrique
    manuel rafael ricardo eduardo roberto andres andrés gustavo raul raúl oscar óscar hector
    héctor ramon ramón lula jair dilma nicolas nicolás gabriela valentina camila lucia lucía
    elena irina tatiana svetlana yevgeny yevgeniy alexey andrei andriy oleksandr petro vitali
    vitaliy mykola taras dmytro ihor igor boris gennady anatoly mikhail nikolai pavel
    heather nigel fritz richard evo jeffrey rudy rudolph kurt kathy cathy debbie
    """.split()
)

TITLES = frozenset(
    """
    mr mrs ms miss mx dr sir dame lord lady prof professor president vice prime minister pm
    secretary senator sen rep representative governor gov mayor general gen col colonel lt
    lieutenant major maj captain capt sgt sergeant chancellor king queen prince princess pope
    sheikh imam rabbi father judge justice chief commander ayatollah speaker detective officer
    inspector sheriff ambassador commissioner cardinal bishop archbishop admiral marshal president-elect
    """.split()
)
HONORIFICS = frozenset("mr mrs ms miss mx dr sir dame lord lady prof".split())

PARTICLES = frozenset(
    "al el ad as ash at bin ibn bint abu ben van von de da del della der den di du la le dos das "
    "ter zu y mac st".split()
)

# Capitalised words that open sentences or name things other than people.
NOT_NAME_WORDS = frozenset(
    """
    the a an in on at he she it they we i you but and as after before when while if so his her
    their its our this that these those there here then what who where why how yes no not all
    some many most more one two three four five six seven eight nine ten said says according
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december comments comment hide ad advertisement
    people police security officials official reporting additional editing photo reuters afp ap
    hospital ministry hezbollah hamas army forces force zone strip resistance guard revolutionary
    university street council party committee agency bank company group news times post court
    department office islamic state states united nations union republic kingdom gulf sea river
    mountains museum airport station square road house senate congress parliament association
    foundation institute centre center corporation inc ltd club church mosque brigade brigades
    militia organisation organization service services authority coalition network media press
    daily herald telegraph guardian journal gazette tribune review weekly health world global
    international national federal central northern southern eastern western north south east west
    airlines airways railway railways hotel school college prison jail camp border bridge island
    islands valley province region district county city town village capital desk staff team
    israeli israelis palestinian palestinians iraqi iranian syrian egyptian american british
    french german russian ukrainian chinese european arab muslim jewish christian kurdish turkish
    lebanese jordanian saudi qatari kuwaiti yemeni afghan pakistani indian sudanese libyan
    tunisian nigerian kenyan mexican canadian australian japanese korean
    israel gaza iraq iran syria egypt qatar jordan lebanon yemen baghdad rafah jerusalem tehran
    damascus cairo beirut washington london paris berlin moscow kyiv kiev beijing tokyo delhi
    us uk usa un eu nato idf who cia fbi bbc cnn nyt covid covid-19 afghanistan pakistan india
    china russia ukraine america europe africa asia bolivia tunisia sudan darfur libya turkey
    germany france britain england scotland wales ireland spain italy japan korea mexico canada
    brazil australia nigeria kenya ethiopia somalia tibet qinghai berlin florida california texas
    new york gulf middle mashtal green kataib
    operation war attack strike strikes storm coronavirus plague god allah
    """.split()
)

ROLE_NOUNS = (
    "secretary|minister|president|spokesman|spokeswoman|spokesperson|commander|chief|leader|"
    "official|director|ambassador|senator|governor|mayor|general|colonel|captain|sergeant|"
    "officer|professor|doctor|lawyer|attorney|judge|editor|correspondent|analyst|neighbour|"
    "neighbor|resident|father|mother|son|daughter|brother|sister|wife|husband|ceo|chairman|"
    "chairwoman|founder|coach|manager|envoy|premier|chancellor|king|queen|prince|pope|cardinal|"
    "bishop|imam|rabbi|sheikh|prosecutor|inspector|superintendent|detective|sheriff|deputy|head|"
    "witness|survivor|student|teacher|nurse|surgeon|paramedic|driver|owner|worker|activist|"
    "researcher|scientist|author|historian|economist|representative|member|adviser|advisor|"
    "executive|negotiator|mediator|militant|fighter|soldier|cleric|lawmaker|legislator|candidate|farmer"
)
