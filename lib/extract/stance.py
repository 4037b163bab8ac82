"""Stance of a statement by cue rules, checked in the annotators' order of precedence.

Why rules and not a model: nothing can be downloaded at run time, the machine has two shared CPU
cores, and an editor reviewing a candidate must be able to see why it got its label. Each label
has a short list of cue patterns (the reporting verb is part of the evidence: "proposed" and
"dismissed" carry the stance as much as the clause after them). The first label in
`PRECEDENCE` with a matching cue wins, which encodes the tie-breaks of the annotation guide:
an explicit "no" beats a warning, "only if" beats openness, a sanctions demand beats "only if",
a plan or venue beats plain goodwill.
"""

from __future__ import annotations

import re

from lib.extract.stance_model import current_model


def _cues(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


_PROCEDURAL = _cues(
    r"\b(?:timing|date|dates|venue) (?:is|are|was|were|remains?) (?:still )?(?:undecided|unclear"
    r"|not (?:yet )?(?:set|fixed|decided|known))\b",
    r"\b(?:did not|didn['’]t|was not|wasn['’]t|were not) (?:\w+ )?discuss(?:ed)?\b",
    r"\breceive (?:this|the|any|more) (?:information|details|proposal)",
    r"\b(?:wait|waiting) for (?:the )?details",
    r"\btoo early\b",
    r"\bpremature\b",
    r"\bno comment\b",
    r"\bbrief(?:ed|ing)? (?:\w+ )?on the details\b",
    r"\bno (?:advance )?(?:notice|warning)\b|\bnot involved\b",
    r"\bdeclined to comment\b|\btoo early to say\b|\bno date (?:has been|was|had been) set\b",
    r"\b(?:details|dates?|modalities) (?:are|were|was|is) (?:still )?being (?:worked out|agreed"
    r"|discussed|finali[sz]ed)\b",
    r"\b(?:gave|give|giving) no details\b|\bwithout giving details\b",
    r"\b(?:would|will|does|did|do) not (?:\w+ )?comment\b",
    r"\bbe patient\b|\bnothing (?:substantive|concrete|specific)\b",
    r"\b(?:dates?|timing|details) (?:\w+ ){0,4}(?:are|is|have been|has been) "
    r"(?:determined|set|fixed|agreed)\b",
    # paperwork and briefings (round 10): details to study, news not confirmed or not published
    r"\b(?:study|examine|go through) (?:the |all )?details\b|\b(?:cannot|can't|could not"
    r"|couldn't) confirm\b",
    r"\b(?:will not|won't|would not) be made public\b|\b(?:taken|took) note of\b"
    r"|\b(?:will|we'll) inform (?:you|the public)\b",
)
_REJECTION = _cues(
    r"\bnot (?:yet |now |\w+ly )?ready to (?:back|accept|support|endorse|agree to|engage in "
    r"(?:\w+ )?(?:talks|negotiations|dialogue))\b",
    r"\breject(?:s|ed|ing)?\b",
    r"^brushed (?:off|aside) \|",  # the reporting verb: "brushed off the offer of a summit"
    r"(?<!not )(?<!n't )(?<!n’t )\bruled? out\b",
    r"(?<!never )(?<!not )(?<!of )(?<!by )\brefus(?:e|es|ed|ing)\b(?! to join)",
    r"\b(?:useless|pointless|worthless|out of the question|non-starter|unacceptable)\b",
    r"\b(?:will|would|can)(?: not|n['’]t) "
    r"(?:accept|agree|negotiate|give up|cede|recognise|recognize)",
    r"\bnever (?:\w+ly )?(?:accept|agree|recogni[sz]e|cede)\b",
    r"\b(?:will|would) not (?:\w+ly )?recogni[sz]e\b",
    # general refusal vocabulary (round 6): "we do not recognise …", "will not surrender …"
    r"\b(?:do|does|did|will|would|shall)(?: not|n['’]t) (?:\w+ly )?(?:recogni[sz]e|surrender|cede"
    r"|hand over|trade)\b",
    r"\bno (?:point|sense|grounds?|reason) (?:in|for|to) (?:invit|talk|negotiat|meet|discuss)\w*",
    r"\bnot (?:hold|conduct|have|enter into|engage in) (?:any )?(?:negotiations|talks|dialogue)\b",
    r"\b(?:attempted |illegal )?annexation\b",
    r"\b(?:would|will|is|are|was) not (?:be )?"
    r"(?:up for discussion|discussed|negotiable|on the table)\b",
    r"\b(?:illegitimate|sham|null and void|no legal (?:value|force|effect|basis))\b",
    r"\bno (?:talks|negotiations|ceasefire) (?:with|until)\b",
    r"\bno longer (?:valid|in force|in effect|exists?|applies)\b",
    r"\b(?:will|would|could) not (?:change|deter|stop|alter|intimidate)\b",
    r"\bnot be (?:deterred|intimidated)\b",
    r"\b(?:did|does|do) not want to\b",
    r"\bno (?:mandate|right|authority)\b",
    r"\b(?:not true|untrue|baseless|groundless|nonsense)\b",
    r"\bnot acceptable\b",
    r"\bdisput\w+\b",
    r"\b(?:is|was|are|were) not (?:at )?an? (?:stalemate|deadlock|dead end|impasse)\b",
    r"\b(?:was|were|is|are) an ultimatum\b",
    r"\bin no position to\b|\bnot in (?:any|a) position to dictate\b"
    r"|\b(?:cannot|can't|no right to) dictate\b",
    r"\bsober up\b|\bfutility\b",
    r"\bwhat (?:negotiations|talks|peace|ceasefire|truce) can\b",
    r"\b(?:would|will|does|do) not (?:bring|lead to|mean) (?:a |lasting |real )?peace\b",
    r"\bfreez\w+ (?:of )?the (?:conflict|war|front)\b",
    r"\bno (?:ground |combat )?troops\b|\bno plans? (?:for|to)\b",
    r"\b(?:a |big |grave |serious |strategic )?mistake\b",
    r"\b(?:not (?:have|get|be given)|no) (?:a )?seat at the (?:negotiating )?table\b",
    r"\bas (?:an? )?(?:ultimatum|non-starter|provocation)\b",
    r"\b(?:urg\w*|demand\w*|call\w* for|want\w*|seek\w*) (?:an? )?(?:end|lifting|removal) "
    r"(?:to|of) (?:\w+ ){0,2}sanctions\b",
    r"\b(?:terminat|suspend|quit|withdr[ae]w)\w* (?:from )?(?:the|its|our) "
    r"(?:deal|agreement|initiative|treaty|participation)\b",
    # a mediator or an idea declared unfit (round 10)
    r"\b(?:will|would|shall)(?: not|n't) (?:participate|take part|attend)\b",
    r"\b(?:ridiculous|laughable|irrelevant|not relevant)\b",
    r"\b(?:cannot|can't|could not|couldn't) (?:be (?:an? )?(?:\w+ )?mediators?|mediate)\b",
    r"\b(?:ultimatums?|threats|blackmail|pressure) (?:do not|don't|does not|doesn't|will not"
    r"|won't) work\b",
)
_IMPASSE = _cues(
    r"\bimpasse\b",
    r"\bdeadlock(?:ed)?\b",
    r"\bstalled\b",
    r"\bstuck\b",
    r"\bfar apart\b",
    r"\bwithout (?:any |a |a real |a major )?(?:progress|breakthrough|result|agreement)s?\b",
    r"\bmade no progress\b|\bno breakthrough\b",
    r"\bfailed to (?:agree|reach|make progress)\b",
    r"\bstalemate\b",
    r"\bat a standstill\b",
    r"\bdead end\b",
    r"\bback to square one\b",
    r"\bno progress\b",
    r"\bno (?:possibility|room|chance) (?:to find |to reach |of |for )?(?:a )?compromise\b",
    r"\bwalk(?:ed|s)? away\b",
    r"\b(?:talks|negotiations) (?:have |had )?(?:collapsed|broken down|failed)\b",
    r"\bsomeone else wants to deal\b",
    r"\b(?:dustbin|scrapped|torn up|tore up|ditched)\b",
    # talks declared impossible or without ground (round 6): the guide's "stuck, blocked"
    r"\b(?:talks|negotiations|dialogue|contacts)\b[^.;]{0,30}\b(?:impossible|not possible)\b"
    r"|\bimpossib\w+ (?:of|to) (?:hold |resume |conduct )?(?:talks|negotiations|dialogue)\b",
    r"\bno (?:basis|conditions|grounds|prospects?) (?:\w+ ){0,2}for (?:\w+ ){0,3}"
    r"(?:talks|negotiations|dialogue|a settlement)\b",
    r"\b(?:freez\w*|termination|suspension|halt\w*|breakdown) (?:of )?(?:the )?(?:\w+ )?"
    r"(?:talks|negotiations|negotiating process|negotiation process|peace process)\b",
    r"(?<!remaining )(?<!last )(?<!only )\b(?:hurdles?|sticking points?|roadblocks?)\b",
    r"\babandoned (?:the |its |their )?(?:talks|negotiations|deal|agreement|treaty)\b",
)
_SKEPTICISM = _cues(
    r"\b(?:wants?|trying|tries|seeks?|seeking) to (?:delay|stall|drag)\b|\bendless talks\b",
    r"\bexcuses?\b|\b(?:might|may) not (?:accept|agree)\b",
    r"\bno (?:clear )?(?:outlines|contours|clarity)\b",
    r"\btrap\b",
    r"\bdoubt(?:s|ed|ful)?\b",
    r"\bunconvinced\b",
    r"\bs[ck]eptic(?:al|ism|s)?\b",
    r"\bbuy(?:ing)? time\b",
    r"\bstall(?:ing)?\b",
    r"\bpretext\b",
    r"\bsmokescreen\b",
    r"\bbluff\b",
    r"\btheatrical\b",
    r"\bnot serious\b",
    r"\bno sign\b",
    r"\bno (?:such |real )?(?:readiness|willingness|desire|intention)\b",
    r"\binsincere\b",
    r"\bcannot be trusted\b",
    r"\bwhat \w+ says\b.{0,60}\bwhat \w+ does\b",
    r"\bwords\b.{0,30}\bdeeds\b",
    r"\b(?:is|was|are|were) not an? (?:real |genuine |true )?"
    r"(?:ceasefire|truce|withdrawal|peace|concession)",
    r"\brather than an? (?:real|genuine|true)\b",
    r"\brepositioning\b",
    r"\b(?:could|may|might) be (?:using|escalating|stalling|playing|preparing)\b",
    r"\busing escalation\b",
    r"\bin an attempt to\b",
    r"\bdifficult for \w+ to accept\b",
    r"\bunlikely\b",
    r"\bclose to zero\b",
    r"\b(?:not|never) (?:\w+ ){0,2}in good faith\b|\bbad faith\b",
    r"\b(?:no|other) decision-makers?\b",
    r"\b(?:will|would) burn\b|\boverestimat\w+\b|\bexaggerat\w+\b|\boverrated\b",
    r"\b(?:frightening|dangerous|reckless)\b",
    r"\bnot (?:\w+ ){0,3}support\w* (?:the|this|that|his|their) (?:plan|proposal|initiative)\b",
    r"\bwatch\w* (?:closely |carefully )?to (?:make sure|ensure|see)\b",
    r"\bno prospects?\b|\bno chance\b|\bdoomed\b",
    r"\b(?:prolong|drag out|continu)\w* (?:the )?(?:war|conflict|suffering|fighting|hostilities)\b",
    r"\blead to more deaths\b|\bruin\w*\b",
    r"\b(?:aggravation|escalation) of the (?:conflict|war|situation)\b|\bround of escalation\b",
    r"\bnothing new\b|\bno (?:\w+ )?new (?:elements|ideas|proposals)\b",
    r"\b(?:very |extremely )?(?:difficult|hard) to (?:negotiate|talk|trust|reach|believe)\b",
    r"\b(?:staged|provocation|fake|hoax|fabricat\w+|disinformation)\b",
    r"\b(?:unrealistic|unachievable|illusory|wishful)\b",
    r"\b(?:dirty|bad|rotten) deal\b|\bquick fix\b",
    r"\bnot (?:really |genuinely |seriously )?interested in\b",
    r"\b(?:does|did|do)(?: not|n't) (?:really |genuinely )?want (?:peace|a ceasefire|negotiations"
    r"|to end)\b",
    r"\b(?:not|no|little|lacks?|lacking)(?: \w+){0,2} credib\w+",
    r"\bwhat['’]s the real\b|\breal (?:interests?|motives?|intentions?|aims?)\b",
    r"\b(?:meaningless|futile|waste of time|empty words|no results?)\b",
    r"\b(?:surrender|capitulation)\b",
    r"\b(?:outdated|obsolete|ineffective|quite an old|antidote)\b",
    r"\b(?:propaganda|illusion|illusory|cynical|hypocri\w+|manipulat\w+|deceiv\w+|deception)\b",
    r"\b(?:cannot|can't|do not|don't) trust\b",
    r"\borwellian\b|\bdrag\w* out (?:the )?time\b|\bplay\w* for time\b",
    r"\bin order to (?:build up|regroup|rearm|rest|replenish)\b|\bbuild up (?:its|their) forces\b",
    r"\bnot balanced\b|\bhitler\b",
    r"\bnuances\b",
    # accusing the other side of bad faith at the talks questions its motives (the guide's
    # skepticism); other accusations stay pressure
    r"\baccus\w+\b[^.;]{0,60}\b(?:trying|attempting|seeking|wanting|instead of|rather than"
    r"|to the table|negotiat\w*|talks|peace efforts)\b",
    # doubt about motives and prospects (round 6)
    r"\bregroup\w*\b|\brearm\w*\b",
    r"\b(?:stronger|better) (?:negotiating |military )?position\b|\bimprove (?:its|their|his) "
    r"(?:position|situation)\b",
    r"\b(?:does|do|did|will|would)(?: not|n['’]t) (?:mean|bring) (?:\w+ )?peace\b",
    r"\bdisconnected from reality\b|\bdetached from reality\b",
    r"\bnot to end the war\b|\bimitat\w+\b|\bpretend\w*\b",
    r"(?<!without )(?<!further )(?<!any )(?<!no )\bdelay\w*\b",  # not "without further delay"
    # doubt about the prospects or the other side's good faith (round 10)
    r"\begging on\b|\bignor(?:e|es|ed|ing) (?:this|the|our|its|their|his|her|any)"
    r" (?:initiative|proposal|plan|offer|call|appeal)\b",
    r"\bnot (?:currently |yet |now )?in a position to\b|\blong way to go\b",
    r"\b(?:uncertain|unclear|unsure) (?:whether|if)\b|\b(?:not |un)helpful\b",
    r"\bnot (?:seeing|see) any (?:signs?|prospects?)\b|\bprospects?\b.{0,50}\b(?:don't|do not"
    r"|did not) see\b",
    r"\b(?:very |extremely )?(?:difficult|hard) to (?:implement|achieve)\b",
    r"\b(?:extremely|very|highly) (?:complex|complicated)\b|\bwrong to expect\b",
    r"\bhinder\w*\b|\bderail\w*\b|\bbreathing space\b|\btends? to zero\b",
    r"\b(?:not|n't) surprised\b|\badvantageous position\b",
    # a pause used to rearm, a war waged to the end
    r"\buse (?:the|a|this|that|any) (?:pause|truce|ceasefire|talks|negotiations)\b[^.;]{0,30}\bto\b"
    r"|\bstrengthen (?:its|their|his) (?:military|army|forces)\b",
    r"\bwag(?:e|es|ing) (?:the )?war\b|\buntil the (?:bitter |very )?end\b",
    # the other side said not to want an end ("not ready to lay down arms")
    r"\bnot (?:\w+ )?ready (?:to (?:lay down|end|stop|halt|give up)\b"
    r"|for (?:a|an) (?:\w+ )?peace\b)",
)
_CONDITION_STRONG = _cues(
    r"\b(?:with|on|under) the condition that\b|\bon condition that\b",
    r"\bonly (?:\w+ ){0,2}(?:participate|take part|join|be invited)\b",
    r"\bneed(?:s|ed)? to be (?:resolved|settled|agreed|clarified|worked out) before\b",
    r"\bonly (?:if|once|when|after|with|be possible|work|be achieved|happen)\b",
    r"\b(?:would|could|can|will) only\b(?! (?:reiterate|repeat|say|confirm|note|add))",
    r"\bunless\b",
    r"\bprovided (?:that )?\b",
    r"\bon (?:the )?condition\b",
    r"(?<!without )(?<!without any )\bpre-?conditions?\b",
    r"\bred lines?\b",
    r"\bas a (?:pre-?)?condition\b",
    r"\binsist\w* on\b",
    r"\bno point in (?:continuing|prolonging)\b",
    r"\bexpect\w* (?:\| )?(?:\w+ ){0,2}to (?:confirm|commit to|agree to|accept) (?:a |the )?"
    r"(?:\w+ )?(?:ceasefire|truce)\b",
    r"\b(?:is|are|would be) (?:necessary|needed|required|essential|a prerequisite)"
    r" (?:to|for|before)\b",
    r"\b(?:must|should|have to|has to|needs? to)\b(?: \w+){0,4} withdr[ae]wn?\b",
    r"\bwithdrawal of (?:\w+ ){0,2}(?:troops|forces|units)\b",
    r"\b(?:neutral|non-aligned|non-nuclear|off-bloc) status\b|\bdemilitari[sz]ation\b",
    r"\b(?:demonstrate|show|prove)\w* (?:its |their |his |a )?(?:genuine |real )?"
    r"(?:willingness|readiness|seriousness|sincerity)\b",
    r"(?:^|\| )(?:when|once|after) .{0,80}\b(?:talks|negotiations|dialogue)\b"
    r" (?:can|could|will|would) (?:begin|start|resume)",
    r"\bnot before\b",
    r"\b(?:has|have|had) to be part of\b",
    r"\bmust first\b",
    r"\buntil (?:its|our|their|all(?: its)?) (?:goals|aims|objectives|tasks) "
    r"(?:are|were|have been|had been) (?:achieved|met|reached|fulfilled)\b",
    r"\bbut only (?:to|if|when|after|for)\b|\bonly to (?:finali[sz]e|sign|seal|formali[sz]e)\b",
    r"\bconditions (?:are|were|have been) met\b",
    r"\bwhen (?:\w+ ){0,2}(?:allies|all sides|both sides) agree\b",
    r"\bno (?:talks|discussions|decisions|negotiations|agreements?) (?:\w+ ){0,3}without\b",
    r"\b(?:has|have|had|must|needs?) to (?:be )?(?:at|part of|involved in|included in|present at)"
    r" (?:the )?(?:negotiating )?(?:table|talks|process|negotiations)\b",
    r"\bno compromises? (?:on|over|about)\b",
    r"\bnon-negotiable\b",
    r"\bterritorial integrity\b",
    r"\bup to (?:ukraine|kyiv|the ukrainians) to (?:decide|make decisions)\b",
    r"\b(?:nothing|no decisions?) about ukraine without ukraine\b",
    r"\bfirst (?:withdraw|stop|agree|accept)\b",
    r"\bas soon as\b(?! possible| we can| it can| they can| practicable)",
    r"(?:^|\| )(?:once|if|should|unless)\b",
    r"\bif (?:it|they|he|she|russia|moscow|kyiv|ukraine|the \w+) (?:\w+ )?"
    r"(?:leaves?|withdraws?|withdrew|pulls? out|stops?|agrees?|accepts?|returns?|ends?|drops?"
    r"|gives? up|recogni[sz]es?)\b",
    r"\b(?:would|will|must) (?:require|need)\b(?! to)",
    r"\b(?:requires?|needs?) (?:\w+['’]s )?(?:involvement|participation|agreement|consent)\b",
    r"\bfirst step (?:\w+ ){0,8}is (?:a |an )?(?:full |complete )?(?:ceasefire|truce)\b",
    r"\bafter (?:a |the )?(?:full |complete |comprehensive )?(?:ceasefire|truce)\b",
    r"\bif (?:\w+ ){1,3}withdr[ae]w\b|\b(?:call\w* on|demand\w*|insist\w*|urg\w*)\b.{0,60}"
    r"\bwithdr[ae]w\b",
    r"\b(?:would|will) need to\b(?! (?:\w+ )?(?:think|consider|study|look|see))|\bin order for\b",
    r"\bwithout (?:resolving|settling|addressing|solving)\b",
    r"\b(?:primary|main|key|biggest) (?:obstacle|stumbling block)\b",
    # prerequisites (round 6): "a ceasefire as a prerequisite", "possible after the formation of"
    r"\bprerequisites?\b",
    r"\b(?:possible|start|begin|take place) (?:only )?(?:after|once|when)\b",
    r"\b(?:would|will|must|should) first\b|\bfirst need\w*\b",
    # the terms named as such (round 10): "wants key conditions met", "the conditions are simple"
    r"\bconditions (?:\w+ )?met\b"
    r"|\b(?:our|the|its|their|key|these) conditions (?:are|were|include)\b",
    r"\bfundamental (?:issues?|questions?)\b|\b(?:crucial|essential|vital) to ensure\b",
    r"\b(?:talks|negotiations|process|agreement|deal|format) (?:should|must) include\b",
    r"\bthere(?: will|'ll) be peace (?:only )?(?:when|once|after)\b",
)
_PRESSURE = _cues(
    r"\bmust be (?:deterred|stopped|held (?:to )?account(?:able)?|punished|forced|made to)\b",
    r"\bwe demand\b|\bdemand (?:\w+['’]s )?(?:reply|response|answer)\b",
    r"\bcall\w* on \| (?:\S+ ){0,5}to (?:halt|stop|end) (?:\S+ ){0,3}"
    r"(?:attacks|strikes|bombing|shelling)\b",
    r"\bsanction(?:s|ed|ing)?\b",
    r"\b(?:more|increase|step(?:ped)? up|maximum|international) pressure\b",
    r"\bpressure on\b",
    r"\bball is (?:now )?in (?:their|his|its|russia['’]s|moscow['’]s|kyiv['’]s) court\b",
    r"\bball is (?:now )?(?:in|on) (?:the )?(?:\w+ )?side\b",
    r"\bget (?:\w+ ){0,3}done\b",
    r"\b(?:ukraine|russia|kyiv|moscow|putin|zelensk\w*) (?:should|must) (?:want|agree|accept|stop"
    r"|end|make)\b",
    r"\b(?:it is|it was|it['’]s) (?:now )?up to\b",
    r"\bonus\b",
    r"\bdeadline\b",
    r"\bultimatum\b",
    r"\btariffs?\b",
    r"\b(?:more|long-range|additional) (?:weapons|missiles|air defen[cs]e)\b",
    r"\bsupply (?:more )?weapons\b",
    r"\bconsequences\b",
    r"\b(?:not happy|unhappy|disappointed|angry|furious|absurd|outrageous|shameful)\b",
    r"\b(?:war crim\w+|war criminal|criminal|genocide|atrocit\w+|terrorist\w*)\b",
    r"\bnothing (?:should|can|must|is|will) be (?:excluded|ruled out)\b",
    r"\b(?:russia|putin|moscow) (?:cannot|can't|must not|mustn't|will not|won't) win\b",
    r"\bstop(?: it| the \w+| now)?\s*!",
    r"\b(?:deliver|send|supply|provid|giv|ship)\w* (?:\w+ ){0,3}"
    r"(?:weapons|ammunition|shells|arms|missiles|jets|air defen[cs]e)",
    r"\b(?:deficit|shortage|lack) of (?:\w+ )?(?:weapons|ammunition|shells|arms)\b",
    r"\brunning out of\b",
    r"\b(?:fail\w* to|must|continue to|keep) (?:\w+ )?(?:support|arm|aid)\w*\b",
    r"\burg\w* (?:\w+ ){0,3}to (?:reverse|stop|end|withdraw|return|halt|comply|pull)\b",
    r"\baccus(?:e|es|ed|ing)\b",
    r"\bcondemn\w*\b",
    r"\bwarn\w* (?:\w+ ){0,6}not to\b",
    r"\btorpedo\w*\b",
    r"\b(?:military|financial|security) (?:aid|assistance|support|package)\b",
    r"\b(?:aid|assistance) (?:package|to ukraine)\b",
    r"\b(?:sen[dt]\w*|deliver\w*|supplied|supplying|provid\w*|giv\w*|announc\w*|pledg\w*"
    r"|approv\w*) (?:[\w$.,-]+ ){0,6}"
    r"(?:air defen[cs]e|patriots?|weapons|ammunition|missiles|tanks|jets|fighter jets|bullets"
    r"|shells|artillery|drones|himars|f-16s|atacms|long-range)\b",
    r"\b(?:the|this|new|more|u\.?s\.?|american|western|european) aid\b",
    r"\bas long as it takes\b",
    r"\bnot charity\b",
    r"\bcall(?:s|ed)? on (?:the world|allies|partners|the west|\w+) to "
    r"(?:respond|act|react|increase|step up|impose|tighten|punish|stop)\b",
    r"\b(?:respond|retaliate|retaliation|strike back|hit back)\b",
    r"\bentitled to\b",
    r"\bforced? (?:into|to) (?:peace|negotiat\w*|the (?:negotiating )?table|talks)\b",
    r"(?<!not )(?<!n't )\bneed\w* (?:\w+ ){0,3}"
    r"(?:patriots?|air defen[cs]e|weapons|ammunition|shells|missiles|jets)\b",
    r"\b(?:answer|response|decision|reply) by (?:monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|the end|\d)",
    r"\b(?:will|would) have to (?:like|accept|agree)\b",
    r"\bin kind\b",
    r"\bthreaten(?:s|ed|ing)?\b",
    r"\b(?:the )?hard way\b",
    r"\bnuclear (?:war|conflict|weapons|strike)\b|\bthreat of (?:a )?(?:nuclear|wider|direct) "
    r"(?:war|conflict)\b",
    r"\bposition of strength\b",
    r"\bgambling with\b|\bworld war (?:three|iii|3)\b",
    r"\b(?:would|will|to|plans? to|agreed to) supply\b",
    r"\bhelp (?:ukraine|kyiv) (?:to )?defend\b|\bdefend (?:itself|its territory)\b",
    r"\b(?:should|must) be (?:taken away|removed|revoked|suspended|stripped)\b",
    r"\bstop (?:the|this) war\b",
    r"\bviolation of (?:the )?(?:u\.?n\.? charter|international law|\w+['’]s sovereignty)\b",
    r"\bnot in a (?:good|strong) position\b|\b(?:do not|don't) have the cards\b",
    r"\bnot (?:yet )?ready for peace\b|\bcome back when\b",
    r"\b(?:worthy|tough|strong|harsh|decisive|adequate|appropriate|firm) response\b",
    r"\b(?:persuade|force|compel|push)\w* (?:\w+ ){0,2}to "
    r"(?:enter|negotiate|talks|the table|accept)\b",
    r"\bneed\w* to stop\b|\bmust stop\b|\bstop (?:encouraging|fuell?ing|arming|prolonging)\b",
    r"\bexpect\w* (?:\w+ ){0,3}to follow\b|\bfollow (?:its|our|their) example\b",
    r"\bno (?:means|way) (?:of|to) (?:counter|intercept|stop)\w*",
    r"\bcannot be (?:intercepted|stopped|countered)\b",
    # blame for the hold-up, or leverage to be used on one side (round 10)
    r"\bholding up (?:the )?(?:talks|negotiations|peace|process)\b|\bcannot count on\b",
    r"\binfluence (?:russia|moscow|putin|the kremlin|kyiv|ukraine)\b|\bmust feel\b",
)
_BATTLEFIELD = _cues(
    r"\b(?:captured|recaptured|retaken|retook|retaking|liberated|seized|took control)\b",
    r"\bpushed\b.{0,40}\bout of\b",
    r"\b(?:took|taken|take|taking|seized|gained|established|regained) "
    r"(?:full |complete )?control\b",
    r"\b(?:drones?|missiles?|shells?) (?:attacked|struck|hit)\b",
    r"\battacks? on\b",
    r"(?<!the )\b(?:killing|killed|wounding|wounded)\b",
    r"\b(?:struck|striking|hitting|hit) (?:a|an|the)\b",
    r"\b(?:hit|struck|destroyed|damaged|downed) (?:more than |over |about |some |nearly )?\d+\b",
    r"\b(?:struck|hit|targeted|destroyed|attacked) (?:[\w-]+ ){0,3}(?:facilities|targets|positions"
    r"|depots?|airfields?|infrastructure|plants?|bases?|units|command posts?)\b",
    r"\bhigh-precision\b",
    r"\b(?:shelling|assaults?|assault attempts|attacks|fighting|strikes) (?:had |have |has )?"
    r"(?:continued|intensified|resumed)\b",
    r"\bshelling\b",
    r"\brepel(?:led|s|ling)?\b",
    r"\b(?:troops|forces|units) (?:had |have |has )?(?:left|withdrew|withdrawn|pulled out|retreated"
    r"|entered|reached|crossed)\b",
    r"\b(?:launched|fired|used) (?:more than |over |about |some |nearly )?\d+ "
    r"(?:drones|missiles|rockets|shaheds|bombs|glide bombs)\b",
    r"\bcombat (?:test|use|operations?)\b",
    r"\b(?:lost|losing|destroyed|downed) (?:more than |over |about |some |nearly )?\d[\d,]* "
    r"(?:troops|soldiers|servicemen|personnel|tanks|drones|aircraft|vehicles|missiles)\b",
    r"\bwithdr(?:ew|awn|aw) from\b",
    r"\bpulled (?:back|out) (?:from|of)\b",
    r"\bencircl\w*\b|\bsurrounded\b|\bupper hand\b",
    r"\bcongratulat\w+ (?:the )?(?:troops|commanders|forces|soldiers|units)\b",
    r"\b(?:military|battlefield|important|major) victory\b",
    # advancing a plan or dialogue is diplomacy, not a move at the front
    r"\b(?:advancing|advanced|advances)\b(?! stage)(?! (?:\w+ ){0,3}"
    r"(?:dialogue|peace|talks|negotiations|plan|process|settlement|cooperation|relations))",
    r"\b(?:gains|losses|setbacks|casualties)\b",
    r"\b(?:losing|lost|gained|regained) (?:ground|territory|initiative|battlefield)\b",
    r"\b(?:battlefield|military|strategic) initiative\b|\b(?:seiz\w*|hold\w*|held|retain\w*"
    r"|losing|lost|gain\w*|regain\w*|has|have|had|took|tak\w+|keep\w*|kept) the initiative\b",
    r"(?<!no )(?<!in )\badvance\b(?! (?:of|on|to|in) (?:talks|negotiations|the talks)| notice"
    r"| warning)(?! (?:\w+ ){0,3}(?:dialogue|peace|talks|negotiations|plan|process|settlement"
    r"|cooperation|relations))",
    r"\bunder (?:\w+ )?control\b",
    r"\b\d+ (?:villages|settlements|towns)\b",
    r"\bsituation (?:\w+ ){0,3}(?:worsened|deteriorated|stabili[sz]ed|critical|difficult)\b",
    r"\breinforcements\b",
    r"\b\d+(?:\.\d+)?\s?(?:%|per ?cent|square kilomet(?:re|er)s|km2|km²)\b",
    r"\b(?:villages?|settlements?) (?:of|in|near|around) (?-i:[A-Z])",
    r"\b(?:shot down|destroyed|intercepted)\b",
    r"\b(?:missile|drone|air) (?:and drone )?(?:strikes?|attacks?)\b",
    r"\bstrikes? on\b",
    r"\bfront ?line\b.{0,20}\b(?:collapse|broke|setback)",
    r"\bpullback\b",
    r"\btroops? (?:withdrew|pulled back)\b",
    r"\b(?:counter-?)?offensive\b",
    r"\breserves\b",
    r"\bthe front\b(?! line)",
)
_PROPOSAL = _cues(
    r"\bpropos(?:e|es|ed|ing)\b(?! by)",  # "the plan proposed by X" only names it
    r"\boffer(?:s|ed|ing)?\b",
    r"\btabled\b",
    r"\bput forward\b",
    r"\bvenue\b",
    r"\bhost(?:s|ed|ing)? (?:the |a |direct )?(?:talks|negotiations|summit|meeting)\b",
    r"(?<!within the )(?<!in the )\bframework\b(?! of)",  # not "within the framework of"
    r"\bguarantors?\b",
    r"\bsecurity guarantees\b",
    r"\bpeace plan\b",
    r"\broadmap\b",
    r"\bmeeting between\b",
    r"\b(?:meet|meeting|see|wait(?:ing)? for|await|visit)(?: with)? (?:\w+ ){0,3}in (?-i:[A-Z])\w+",
    r"\b(?:next|trilateral|bilateral|face-to-face|direct) (?:meeting|summit|talks)\b",
    r"\bpeace (?:agreement|deal|treaty|accord)\b",
    r"\binvit(?:e|es|ed|ing|ation)\b",
    r"\bsupport(?:s|ed)? (?:this|the|our|his|her|their|that) (?:initiative|proposal|plan|idea)\b",
    r"\bbring (?:[\w-]+,? ){1,6}together\b",
    r"\btogether in (?-i:[A-Z])\w+",
    r"\b(?:plan\w*|want\w*|would|will|intend\w*|hopes?|ready|offer\w*) to meet\b",
    r"\bto meet (?!(?:the |its |their |his |her )?(?:deadline|demands|targets|needs|requirements"
    r"|goals|conditions|obligations|expectations))",
    r"\b(?:begin|start)\w* with an? (?:\w+ ){0,4}(?:ceasefire|truce)\b",
    r"\btechnical (?:talks|negotiations|teams)\b",
    r"\bnext step (?:would|will|is|should) be\b",
    r"\b(?:would|will) meet\b",
    r"\bstop where they are\b",
    r"\b(?:announc|declar)\w* (?:\| )?(?:on \w+ )?(?:a |an |the )?(?:[\w-]+ ){0,4}"
    r"(?:truce|ceasefire|moratorium|pause)\b",
    r"\bcreation of\b",
    r"\b(?:summit|meeting) (?:of|between) (?:the )?(?:\w+ ){0,2}(?:presidents|leaders)\b",
    r"\bmeeting of (?:the )?(?:leaders|heads|presidents)\b",
    r"\bresume (?:the )?(?:talks|negotiations)\b",
    r"\b(?:call(?:s|ed)? (?:on|for)|urg(?:e|es|ed)|demand(?:s|ed)?)\b.{0,80}"
    r"\b(?:truce|ceasefire|talks|negotiat\w*|meeting|summit)\b",
    r"\b(?:a )?demand\b.{0,40}\b(?:truce|ceasefire)\b",
    r"\bshould (?:coordinate|meet|hold|start|resume|negotiate|talk|join)\b",
    r"\bbilateral talks\b",
    r"\bin return for\b",
    r"\bwould be left to\b",
    r"\bready to (?:host|mediate|facilitate)\b",
    r"\b(?:ready|willing|prepared|offer\w*) to mediate\b|\boffer\w* (?:its |to )?mediation\b",
    r"\bin person\b",
    r"\b(?:through|by) (?:negotiations?|diplomatic means|diplomacy|dialogue)\b",
    r"\b(?:negotiated|political|peaceful|diplomatic) (?:settlement|solution)\b",
    r"\b(?:peace|victory) (?:plan|formula|initiative|conference|summit)\b",
    r"\bten-point\b|\b\d+-point (?:plan|proposal)\b",
    r"\b(?:appoint|set up|establish|create|form)\w* (?:[\w-]+ ){0,2}"
    r"(?:teams?|working groups?|commissions?|mechanisms?|channels?)\b",
    r"\b(?:will|shall|would|we['’]ll) (?:hold|convene|organi[sz]e) (?:\w+ ){0,3}(?:meeting|summit"
    r"|round|conference)\b",
    r"\b(?:quickest|fastest|best|shortest) (?:path|way|route) to\b",
    r"\bcom(?:e|ing) together\b",
    # a mediator, a delegation or a dated round put forward (round 10)
    r"\b(?:submitted|presented|handed over|delivered) (?:\w+ ){0,2}"
    r"(?:proposals?|draft|memorandum)\b",
    r"\bplatform for\b|\b(?:could|can) (?:host|conduct|organi[sz]e) (?:such |the |these )?"
    r"(?:talks|negotiations)\b",
    r"\b(?:to|should|could|would|will) mediate\b|\bmediating (?:part(?:y|ies)|role)\b",
    r"\bsend\w* (?:a |an |the |its |his |her |our |their )?(?:\w+ )?delegation\b",
    r"\b(?:talks|round|meeting|summit|negotiations)\b[^.;]{0,60}\bwill be held\b",
    r"\bat the negotiating table\b|\bvisit (?-i:[A-Z])\w+ (?:next|this|on)\b",
)
_OPENNESS = _cues(
    r"\bread(?:y|iness)\b",
    r"\bwilling(?:ness)?\b",
    r"\bpositive\b",
    r"\bhope(?:s|d|ful|fully)?\b",
    r"\boptimis(?:m|tic)\b",
    r"\bwelcome[sd]?\b",
    r"\bgood news\b",
    r"\bprogress\b",
    r"\bthink(?:s|ing)? about\b",
    r"\bprepar\w* for (?:the )?(?:talks|negotiations|meeting)\b",
    r"\bconfirm\w* (?:\| )?(?:\w+['’]s |its |their )?participation\b",
    r"\bconstructive(?:ly)?\b",
    r"\brealistic\b",
    r"\bwindow\b",
    r"\bopening\b",
    r"\byes to peace\b",
    r"\bhow\W+not\W+if\b",
    r"\bachieve peace\b",
    r"\bgoodwill\b",
    r"\bagree(?:s|d)? (?:to|on)\b",
    r"\baccept(?:s|ed)?\b",
    r"\bmutual trust\b",
    r"\bde-?escalat\w*\b",
    r"\bcut back military\b",
    r"\bgreat day\b",
    r"\bkeep working\b",
    r"\bturning point\b",
    r"\bbreakthrough\b",
    r"\bdialogue\b",
    r"\bfirst step\b",
    r"\b(?:important|good|promising|positive) (?:start|beginning)\b|\bcivili[sz]ed\b",
    r"\b(?:strong|important|positive|good|clear) signal\b|\b(?:good|positive|encouraging) sign\b",
    r"\bbeacon\b|\bnot take advantage\b",
    r"\binterested in (?:a |an )?(?:quick |swift |speedy |early )?(?:end|settlement|peace|talks"
    r"|negotiations|solution)\b",
    r"\b(?:help|lead|contribute)\w* (?:\w+ ){0,2}(?:to )?(?:peace|a settlement|an end)\b",
    r"\bhumanitarian gestures?\b",
    r"\b(?:international |broad )?consensus\b|\bcommon ground\b",
    r"\b(?:appreciat\w+|grateful|thank\w*|balanced position)\b",
    r"\b(?:broad|growing|wide|strong) support\b|\bsupport (?:[\w'’-]+ ){0,8}(?:was |is )?growing\b",
    r"\b(?:find|reach|achieve) (?:a |an )?(?:solution|settlement|deal|agreement|peace)\b",
    r"\bfuture (?:is|was|lies|lay) in (?:the )?(?:alliance|nato|eu|european union|europe)\b",
    r"\b(?:removed|dropped|waived|lifted) the (?:requirement|precondition|condition)\b",
    r"\bnever (?:refused|rejected|ruled out|abandoned)\b",
    r"\bnot insurmountable\b|\bcan be (?:resolved|overcome|bridged)\b|\bsolvable\b",
    r"\b(?:stud(?:y|ied|ying)|consider\w*|examin\w*|analys\w*)\b.{0,40}"
    r"\b(?:plan|proposal|initiative|offer)\b",
    r"\bbasis (?:for|of) (?:a |the )?(?:final |future |lasting )?"
    r"(?:settlement|agreement|talks|negotiations|peace)\b",
    r"\bheadway\b",
    r"\b(?:pave[sd]?|paving|open(?:s|ed|ing)?) the way\b",
    r"\b(?:efforts?|steps?|moves?) (?:conducive|leading|towards?) (?:to )?peace\b",
    r"\bsupport\w* (?:all |any )?(?:efforts|steps|initiatives) (?:\w+ ){0,2}(?:peace|settlement)\b",
    r"\bsooner the better\b",
    r"\bunderstanding\b",
    r"\beach other\b",
    r"\b(?:useful|productive|fruitful|not bad)\b",
    r"\bgood (?:conversation|talks|meeting|discussion)\b",
    r"\b(?:does|do|did|would) not object\b|\bno objections?\b",
    r"\b(?:could|can|will|would) be (?:struck|reached|agreed|signed|achieved) (?:\w+ ){0,3}"
    r"(?:soon|this week|this month|this year|quickly)\b",
    r"\bgreat respect\b|\bsincere\b",
    r"\b(?:remain(?:s|ed)?|is|are|was|were|stay(?:s|ed)?) open to\b",
    r"\bopen to (?:\w+ ){0,2}(?:talks|negotiations|dialogue|meetings?|contacts)\b",
    r"\bvery good\b|\bthe sooner\b",
    r"\bremains? (?:valid|accurate|in force|on the table)\b",
    # the wish to end the war or keep talking, without a plan on the table
    r"\bwant(?:s|ed)? to (?:end|stop) (?:the )?(?:war|conflict|fighting)\b"
    r"|\bwant(?:s|ed)? to (?:continue|resume|keep) (?:the )?(?:negotiations|talks|dialogue)\b",
    r"\bcommitted to (?:achieving |reaching )?"
    r"(?:peace|a settlement|negotiations|talks|diplomacy)\b",
    r"\bin favou?r'? of\b|\bevery interest in\b",
    r"\b(?:shown|shows?|showed|express\w*) (?:\w+ )?interest in\b|\bcontinue to engage\b",
    r"\bnothing (?:that )?can replace (?:negotiations|talks|dialogue|diplomacy)\b",
    r"\bsupports? any (?:attempt|effort|initiative|step)s?\b",
    r"\b(?:end|settle)\w* (?:\w+ ){0,3}(?:with|through|via) (?:diplomacy|negotiations|talks)\b",
    r"\b(?:ceasefire|agreement|deal|settlement|peace)\b[^.;]{0,40}\b(?:is|are|would be|will be)"
    r" (?:entirely |quite |still |now )?possible\b(?! (?:only )?(?:if|once|when|after|provided))",
    r"\b(?:talks|negotiations) will resume\b|\bwent (?:very |really )?well\b",
    r"\bonly (?:a few|one|two|three) (?:differences|issues?|points?|questions?) (?:left|remain)"
    r"|\bdown to [“\"]?one issue\b",
)
# "a 30-day truce would give time for talks": a specific truce on the table, unless the speaker
# only agrees to someone else's (which is openness, checked first).
_SPECIFIC_TRUCE = _cues(
    r"\b\d+-day (?:ceasefire|truce)\b|\b(?:immediate|unconditional) (?:cessation|ceasefire|truce)\b"
)
_CONDITION_WEAK = _cues(
    r"\bmust\b",
    r"(?<!as )(?<!even )\bif\b",
    r"\b(?:has|have|had|needs?) to\b",
    r"\brequires?\b",
)

# "Dismissed" is a no unless the reason given is a doubt ("dismissed it as an attempt to buy
# time" is skepticism), so it is checked after the skepticism cues.
_REJECTION_AFTER_DOUBT = _cues(r"\b(?:dismiss|dismissed|dismisses|dismissing)\b")

# "… would keep advancing if Kyiv rejected it": a threat, whatever verbs the condition holds.
_CONDITIONAL_THREAT = _cues(
    r"\b(?:any|every) (?:provocation|attack|violation)s? (?:would|will) be met with\b",
    r"\bif (?:kyiv|ukraine|moscow|russia|they|it|he|the \w+) (?:rejects?|rejected|refuses?|refused"
    r"|does not|doesn't|did not|fails?|failed)\b",
    r"\bif there (?:is|was|were) no (?:progress|deal|agreement|ceasefire)\b",
    r"\bif (?:the )?(?:talks|negotiations|diplomacy) (?:fail|falter|collapse|break down)\w*\b",
)

# The guide's tie-break: an "only if" whose condition is sanctions or pressure is pressure.
_ONLY_IF_PRESSURE = _cues(
    r"\bmust be (?:deterred|stopped|held (?:to )?account(?:able)?|punished|forced|made to)\b",
    r"\bonly if\b.{0,80}\b(?:pressure|sanctions)\b",
    # "will start preparing new sanctions on Russia unless the Kremlin …"
    r"\bsanctions\b[^.;]{0,60}\b(?:unless|until|if (?:\w+ ){1,3}(?:does not|doesn't|fails))\b",
    # "progress now depends on Ukraine's position", "the crucial factor is Moscow's readiness"
    r"\bdepends?,? (?:\w+,? ){0,2}on (?:the position of )?(?:ukraine|kyiv|kiev|russia|moscow"
    r"|the kremlin|the kyiv regime|washington|the (?:russian|ukrainian|american|other) side)\b",
    r"\bthe (?:crucial|key|decisive) (?:factor|question) is (?:moscow|russia|kyiv|ukraine)'s\b",
    # "If Russia truly wants peace, it must …": a demand dressed as a condition
    r"\bif (?:\w+ ){1,3}(?:really |truly |genuinely |seriously )?wants? (?:peace|to end)\b",
)
# Stopping or pausing strikes is a step towards a truce, not a report from the front.
_DEESCALATION = _cues(
    r"\b(?:stop|halt|pause|suspend|refrain)\w* (?:\w+ ){0,2}(?:from )?(?:attacks|strikes|shelling"
    r"|hostilities|firing)\b",
    r"\b(?:stop|halt|pause|suspension|moratorium)\w* (?:on|to|of) (?:\w+ ){0,2}"
    r"(?:attacks|strikes)\b",
)

# An explicit offer, a swap of prisoners or bodies, or a truce plan outweighs incidental words
# from the front ("sections of the front", "wounded soldiers").
_CONCRETE_OFFER = _cues(
    r"\bpropos(?:e|es|ed|ing)\b(?! by)",  # "the plan proposed by X" only names it
    r"\b(?:offered|tabled|put forward)\b",
    r"\b(?:swap|exchange|hand over|return)\w* (?:[\w,-]+ ){0,6}(?:prisoners|soldiers|bodies|pows"
    r"|children|servicemen|captives)\b",
    r"\bprisoner (?:exchange|swap)s?\b",
    r"\b(?:take|taking|takes|took) (?:\w+ ){0,2}steps? to\b",
)

# "not an ultimatum but a peace initiative": the denial introduces an offer.
_DENIED_ULTIMATUM = _cues(r"\bnot an ultimatum\b")

# "neutral status in exchange for security guarantees": a swap of terms is put on the table,
# even though each half alone reads as a demand.
_TERMS_SWAP = _cues(r"\bin (?:exchange|return) for\b")

# "all attendees declared allegiance to … territorial integrity": backing the principle, not
# setting it as a condition.
_BACKED_PRINCIPLE = _cues(
    r"\b(?:supported|backed|declared allegiance to|respect(?:ed)? for)\b.{0,80}"
    r"\bterritorial integrity\b"
)

# "Our proposal to halt strikes remains on the table", "called for an extension of the truce",
# "ready for a full ceasefire … for at least 30 days": an offer on the table, even when what it
# offers is a step down (which alone reads as openness).
_STANDING_OFFER = _cues(
    r"\b(?:our|my|this|the|its|their) (?:\w+ )?(?:proposal|offer)\b[^.;]{0,80}\b(?:remains?|stands?"
    r"|is still) (?:on the table|valid|in force)\b",
    r"\bcall(?:s|ed)? for (?:an? )?(?:extension|prolongation) of (?:the |a )?(?:[\w-]+ )?(?:truce"
    r"|ceasefire)\b",
    r"\bready for (?:a |an )?(?:full |complete |comprehensive |unconditional )?(?:ceasefire|truce)"
    r"\b[^.;]{0,80}\b\d+ days\b",
)
# "X is ready for direct talks", "Russia remains ready to meet": willingness to sit down, not a
# concrete offer (a venue, a date, a plan are what make it a proposal).
_READY_TO_TALK = _cues(
    r"\b(?:is|are|was|were|remains?|remained|stays?|stayed)\s+(?:\w+ly\s+|still\s+|also\s+)?"
    r"open to\b",
    r"\b(?:is|are|was|were|remains?|remained|stands?|stood|be|am)\s+(?:\w+ly\s+|still\s+|also\s+)?"
    r"[“\"]?ready[”\"]?\s+(?:to (?:meet|talk|negotiate|hold talks|engage)\b(?! (?:\w+ ){0,3}in "
    r"(?-i:[A-Z]))|for (?:\w+ ){0,2}(?:talks|negotiations|dialogue|meetings?|peace deal|contacts)\b"
    r"(?! (?:\w+ ){0,3}in (?-i:[A-Z])))",
    r"\b(?:willing(?:ness)?|readiness) to (?:meet|talk|negotiate)\b"
    r"(?! (?:\w+ ){0,3}in (?-i:[A-Z]))",
)
# "they've made significant progress on a 20-point plan": a report of progress, not the plan.
_PROGRESS_REPORT = _cues(
    r"\bexchange of (?:opinions|views)\b|\bsignificant (?:statement|step|signal|gesture)\b",
    r"\breached (?:an? )?(?:[\w“”\"]+ )?(?:understanding|compromise)\b",
    r"\b(?:remains?|is|are|stays?) [“\"]?focused on (?:\w+ ){0,2}(?:peace|deal|ending)\b",
    r"\bwants? to see (?:a |the )?peace\b",
    r"\b(?:made|making|make|achieved|seen|see) (?:\w+ ){0,2}progress\b",
    r"\b\d+ ?(?:%|percent|per cent) (?:done|there|agreed|complete)\b",
)
# "… must be revoked if negotiations were to continue", "set out conditions for a ceasefire":
# the terms for talks, even when worded as a demand.
_TERMS_FOR_TALKS = _cues(
    r"\bif (?:the )?(?:talks|negotiations|dialogue) (?:were|are|is|was) to "
    r"(?:continue|resume|succeed|proceed|start|begin)\b",
    r"\bset (?:out|forth) (?:the |its |his |her |their )?(?:\w+ )?conditions\b",
)
# "Putin will meet Witkoff on Thursday": a date in the diary, not an offer.
_SCHEDULE = _cues(
    r"\b(?:not|no) (?:set|setting|given|giving) (?:a |any )?deadline\b",
    r"^(?!.*\b(?:host|propos|offer|invit)\w*)(?:\w+ \| )?(?:[\w.]+ ){1,3}"
    r"(?:will|plans? to|is (?:due|set|scheduled) to) meet (?:with )?"
    r"(?-i:[A-Z])\w+(?: \w+){0,6} (?:on|later|next|this) (?-i:[A-Z])?\w+",
    r"\bno plans? to comment\b",
    # "A new round of talks has started in Geneva", "talks were postponed until next week": the
    # state of the calendar is logistics (the guide's `other`), not an offer
    r"^(?:\w+ \| )?(?:an? |the )?(?:new )?(?:[\w-]+ ){0,3}(?:round|talks|negotiations|meeting)\b"
    r"[^.;]{0,80}\b(?:has|have) (?:started|begun|opened)\b",
    r"\bpostponed (?:until|till|to) (?:next|later|the following)\b",
)

# "would sign a peace deal immediately if Ukraine gave up …", "to continue fighting unless
# Ukraine cedes …", "unlikely without resolving territorial disputes": the terms are the point.
_UNLESS = _cues(
    r"\bunless\b",
    r"\bwithout (?:first )?(?:resolving|settling|solving|addressing)\b",
    r"\bwould (?:\w+ ){1,6}(?:immediately |only )?if (?:ukraine|kyiv|russia|moscow|the west"
    r"|they|it)\b",
)
# "Russia did not have any preconditions to resume talks": readiness on no terms ("offering to
# resume talks without any preconditions" stays an offer).
_NO_PRECONDITIONS = _cues(
    r"\b(?:(?:has|have|had) no|(?:does|do|did) not (?:have|set|put forward) any) "
    r"(?:pre-?)?conditions\b"
)
# "he hoped to hold a spring summit in Switzerland": a meeting of the speaker's own in view.
_HOPED_MEETING = _cues(
    r"\bhope[sd]? to (?:hold|host|convene|organi[sz]e) (?:a |an |the )?(?:[\w-]+ ){0,2}"
    r"(?:summit|meeting|talks|conference|round)\b"
)
# "He'll make concessions": readiness to give ground, not a demand on the other side.
_CONCESSIONS = _cues(r"(?:'ll|will|is|are|'s|'re) (?:\w+ )?mak(?:e|ing) concessions\b")

# "ready for talks in any format, as soon as we see that Russia …": readiness tied to a
# condition is the condition, whatever doubt the rest of the sentence voices.
_READY_ONCE = _cues(
    r"\bread(?:y|iness)\b[^.;]{0,80}\b(?:as soon as|once|provided that|on condition that)\b",
    r"\bwe (?:await|expect|demand) (?:a |an )?(?:full|complete|comprehensive|unconditional|lasting"
    r"|real)\b[^.;]{0,30}\b(?:ceasefire|truce)\b",
)

PRECEDENCE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("other", _PROCEDURAL),
    ("other", _SCHEDULE),
    ("condition", _TERMS_FOR_TALKS),
    ("proposal", _DENIED_ULTIMATUM),
    ("pressure", _CONDITIONAL_THREAT),
    ("pressure", _ONLY_IF_PRESSURE),
    ("openness", _NO_PRECONDITIONS),
    ("condition", _UNLESS),
    ("rejection", _REJECTION),
    ("impasse", _IMPASSE),
    ("condition", _READY_ONCE),
    ("skepticism", _SKEPTICISM),
    ("rejection", _REJECTION_AFTER_DOUBT),
    ("proposal", _TERMS_SWAP),
    ("openness", _BACKED_PRINCIPLE),
    ("condition", _CONDITION_STRONG),
    ("openness", _CONCESSIONS),
    ("proposal", _HOPED_MEETING),
    ("pressure", _PRESSURE),
    ("proposal", _STANDING_OFFER),
    ("openness", _DEESCALATION),
    ("openness", _READY_TO_TALK),
    ("openness", _PROGRESS_REPORT),
    ("proposal", _CONCRETE_OFFER),
    ("battlefield_claim", _BATTLEFIELD),
    ("proposal", _PROPOSAL),
    ("openness", _OPENNESS),
    ("proposal", _SPECIFIC_TRUCE),
    ("condition", _CONDITION_WEAK),
)


_ACCUSED_ACTORS = r"(?:putin|moscow|russia|the kremlin|kyiv|ukraine|zelensk\w*|washington|trump)"
# "Putin had effectively rejected the proposal": blaming the other side puts the onus on it.
_SIDES = {
    "putin": "russia", "moscow": "russia", "the kremlin": "russia", "kremlin": "russia",
    "kyiv": "ukraine", "zelensky": "ukraine", "zelenskiy": "ukraine", "zelenskyy": "ukraine",
    "washington": "united states", "trump": "united states", "united states": "united states",
}  # fmt: skip


def _side_of(name: str) -> str:
    key = name.strip().lower()
    return _SIDES.get(key, key)


_ACCUSATION = re.compile(
    rf"(?:^|\bthat )(?:that )?(?P<actor>{_ACCUSED_ACTORS}) (?:has |had |have )?(?:\w+ly )?"
    r"(?:rejected|refused|ruled out|blocked|sabotaged|torpedoed|walked away from|broke|violated)\b",
    re.IGNORECASE,
)


MODEL_CONFIDENCE = 0.97


def classify_stance(
    quote: str, verb: str = "", *, on_topic: bool = True, speaker_side: str = ""
) -> str:
    """One of the store's nine stances; `verb` is the reporting verb ("proposed", "warned"),
    `speaker_side` the speaker's affiliation (to tell a refusal from an accusation)."""
    if not on_topic:
        return "other"
    plain_quote = re.sub(r"[“”\"‘]", "", quote.strip()).replace("’", "'")
    accused = _ACCUSATION.search(plain_quote)
    if accused and _side_of(accused.group("actor")) != _side_of(speaker_side):
        return "pressure"
    evidence = f"{verb} | {plain_quote}" if verb else plain_quote
    for label, cues in PRECEDENCE:
        if cues.search(evidence):
            return label
    fallback = VERB_FALLBACK.get(verb.split(" ")[0], "other")
    model = current_model()
    if model is None:
        return fallback
    label, probability = model.predict(plain_quote)
    return label if probability >= MODEL_CONFIDENCE else fallback


def cue_label(quote: str) -> str | None:
    """The label of the first cue rule the quote itself matches, or None when none does."""
    plain_quote = re.sub(r"[“”\"‘]", "", quote.strip()).replace("’", "'")
    return next((label for label, cues in PRECEDENCE if cues.search(plain_quote)), None)


# When no cue matches, the reporting verb alone still says something about the job.
VERB_FALLBACK = {
    "warned": "pressure",
    "warns": "pressure",
    "warn": "pressure",
    "warning": "pressure",
    "threatened": "pressure",
    "urged": "pressure",
    "urges": "pressure",
    "insisted": "condition",
    "insists": "condition",
    "demanded": "condition",
    "demands": "condition",
    "cautioned": "skepticism",
    "questioned": "skepticism",
    "doubted": "skepticism",
    "welcomed": "openness",
    "welcomes": "openness",
    "praised": "openness",
    "hailed": "openness",
    "proposed": "proposal",
    "offered": "proposal",
    "suggested": "proposal",
    "invited": "proposal",
    "presented": "proposal",
    "unveiled": "proposal",
    "denied": "rejection",
    "rejected": "rejection",
    "brushed": "rejection",
}
