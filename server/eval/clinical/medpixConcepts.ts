/**
 * The evaluation's concept table for MedPix case diagnoses: which words in a case's `diagnosis` name a concept, and
 * which words in a conclusion state it — the diagnosis itself, its synonyms, and the class of imaging finding it rests
 * on ("glioblastoma" → glioblastoma, glioma, tumour, mass, neoplasm; "subdural hematoma" → subdural, hematoma,
 * haemorrhage; "ovarian torsion" → torsion). A case is scorable when its diagnosis names at least one concept; a
 * conclusion states the diagnosis when it states (not negated) any concept of it. Independent of the product's clinical
 * vocabulary. A few diagnosis keywords are the data's own misspellings ("adenocarinoma", "Pulomary", "abcess").
 */

export interface MedpixConcept {
  id: string;
  /** Words and phrases that name the concept in a diagnosis (case-insensitive; plurals and hyphens as in `ConceptMatcher`). */
  diagnosis: readonly string[];
  /** Words and phrases that state it in a conclusion, besides those of its classes. */
  states: readonly string[];
  /** Finding classes whose words also state it (`FINDING_CLASSES`). */
  classes?: readonly FindingClass[];
  /** Regular expressions for wordings of a statement that a phrase list cannot say. */
  patterns?: readonly string[];
}

/** Imaging finding classes: the words that state a finding of the class, whatever the diagnosis behind it. */
export const FINDING_CLASSES = {
  tumour: ['mass', 'tumor', 'tumour', 'neoplasm', 'neoplastic', 'malignancy', 'malignant', 'cancer', 'carcinoma', 'metastasis', 'metastases', 'metastatic'],
  boneLesion: ['lytic lesion', 'lytic', 'sclerotic lesion', 'blastic', 'bone lesion', 'osseous lesion', 'bony lesion', 'expansile lesion', 'lucent lesion', 'destructive lesion', 'chondroid lesion', 'chondroid matrix', 'cartilaginous lesion', 'marrow replacing lesion'],
  cyst: ['cyst', 'cystic', 'cystic lesion', 'cystic mass', 'fluid-filled', 'fluid attenuation', 'fluid attenuating', 'fluid-attenuating', 'fluid signal'],
  haemorrhage: ['hemorrhage', 'haemorrhage', 'hemorrhagic', 'haemorrhagic', 'hematoma', 'haematoma', 'bleed', 'bleeding', 'blood products'],
  infarct: ['infarct', 'infarction', 'infarcted', 'stroke', 'ischemia', 'ischemic', 'ischaemia', 'ischaemic', 'restricted diffusion', 'diffusion restriction', 'cytotoxic edema'],
  infection: ['infection', 'infectious', 'infected', 'abscess', 'abscesses', 'inflammation', 'inflammatory'],
  thrombus: ['thrombus', 'thrombosis', 'thrombosed', 'thrombi', 'clot', 'embolus', 'emboli', 'embolism', 'thromboembolism', 'filling defect', 'occlusion', 'occluded'],
  vascularMalformation: ['vascular malformation', 'arteriovenous malformation', 'avm', 'arteriovenous fistula', 'fistula', 'nidus', 'cavernoma', 'cavernous malformation', 'venous malformation', 'venous anomaly', 'venous angioma', 'flow voids', 'serpiginous vessels'],
  aneurysm: ['aneurysm', 'aneurysmal', 'pseudoaneurysm', 'dilatation', 'dilation', 'ectasia', 'ectatic'],
  fracture: ['fracture', 'fractured', 'fractures', 'fx', 'cortical break', 'fracture line'],
  tear: ['tear', 'torn', 'rupture', 'ruptured', 'disruption', 'disrupted', 'discontinuity', 'avulsion', 'avulsed'],
  fluidCollection: ['fluid collection', 'collection', 'loculated fluid'],
  calculus: ['calculus', 'calculi', 'stone', 'stones', 'lithiasis', 'nephrolithiasis', 'urolithiasis', 'ureterolithiasis', 'choledocholithiasis', 'cholelithiasis', 'staghorn'],
  obstruction: ['obstruction', 'obstructed', 'obstructing', 'obstructive', 'dilated loops', 'transition point'],
  freeGas: ['free air', 'free gas', 'extraluminal air', 'extraluminal gas', 'pneumoperitoneum', 'pneumomediastinum'],
  whiteMatter: ['white matter lesion', 'white matter lesions', 'white matter abnormality', 'white matter disease', 'white matter signal', 'white matter hyperintensity', 'white matter hyperintensities', 'white matter changes', 'demyelination', 'demyelinating', 'leukodystrophy', 'leukoencephalopathy', 'dysmyelination', 'hypomyelination'],
  fibrosis: ['fibrosis', 'fibrotic', 'honeycombing', 'honeycomb', 'interstitial lung disease', 'interstitial disease', 'reticulation', 'reticular', 'traction bronchiectasis'],
  pneumonia: ['pneumonia', 'pneumonitis', 'consolidation', 'consolidative', 'ground glass', 'ground-glass', 'airspace disease', 'airspace opacity', 'air space disease', 'air space opacity', 'opacity', 'infiltrate', 'infiltrates'],
  congenital: ['congenital', 'anomaly', 'anomalous', 'malformation', 'dysplasia', 'variant'],
} as const satisfies Record<string, readonly string[]>;

export type FindingClass = keyof typeof FINDING_CLASSES;

/** A gap of a few words within one clause. */
const GAP = String.raw`[^.;:]{0,30}?`;

const BRAIN_TUMOUR = ['glioma', 'glial tumor', 'glial neoplasm', 'intra-axial mass', 'intra-axial tumor', 'enhancing mass', 'enhancing lesion', 'ring-enhancing', 'ring enhancing'];

export const MEDPIX_CONCEPTS: readonly MedpixConcept[] = [
  // Neoplasms.
  {
    id: 'carcinoma',
    diagnosis: ['carcinoma', 'adenocarcinoma', 'adenocarinoma', 'cancer', 'squamous cell', 'scc', 'nsclc', 'small cell', 'linitis plastica', 'pancoast', 'hcc', 'hepatoma', 'hepatocellular', 'cholangiocarcinoma', 'malignant transformation', 'malignancy', 'dcis', 'neoplasm', 'tumor', 'tumour', 'mass'],
    states: ['adenocarcinoma', 'hcc', 'hepatoma', 'cholangiocarcinoma', 'pancoast', 'superior sulcus tumor', 'linitis plastica', 'bronchogenic'],
    classes: ['tumour'],
  },
  {
    id: 'metastasis',
    diagnosis: ['metastasis', 'metastases', 'metastatic', 'metastasizing', 'stage iv', 'stage ivb'],
    states: ['metastasis', 'metastases', 'metastatic', 'implants', 'seeding'],
    classes: ['tumour', 'boneLesion'],
  },
  {
    id: 'lymphoma',
    diagnosis: ['lymphoma', 'hodgkin', 'hodgkins', 'non-hodgkin', 'burkitt', 'b-cell', 'b cell', 'lymphoproliferative'],
    states: ['lymphoma', 'lymphomatous', 'lymphadenopathy', 'adenopathy', 'enlarged lymph node', 'enlarged lymph nodes', 'nodal mass', 'conglomerate nodes', 'lymphoproliferative'],
    classes: ['tumour'],
    patterns: [`\\b(?:enlarg\\w*|bulky|prominent)\\b${GAP}\\b(?:lymph nodes?|nodes?)\\b`, `\\b(?:lymph nodes?|nodes?)\\b${GAP}\\b(?:enlarg\\w*|bulky)`],
  },
  {
    id: 'glioma',
    diagnosis: ['glioma', 'glioblastoma', 'astrocytoma', 'oligodendroglioma', 'ganglioglioma', 'ependymoma', 'subependymoma', 'ependymomas', 'medulloblastoma', 'choroid plexus papilloma', 'choroid plexus carcinoma', 'pilocytic', 'gbm', 'glial'],
    states: ['glioblastoma', 'astrocytoma', 'oligodendroglioma', 'ganglioglioma', 'ependymoma', 'subependymoma', 'medulloblastoma', 'papilloma', 'gbm', 'pnet', ...BRAIN_TUMOUR],
    classes: ['tumour'],
  },
  {
    id: 'meningioma',
    diagnosis: ['meningioma', 'meningiomas'],
    states: ['meningioma', 'extra-axial mass', 'extraaxial mass', 'extra-axial lesion', 'dural-based', 'dural based', 'dural tail', 'dural mass'],
    classes: ['tumour'],
  },
  {
    id: 'nerve-sheath-tumour',
    diagnosis: ['schwannoma', 'neurofibroma', 'neuroma', 'acoustic', 'nerve sheath', 'neurofibromatosis', 'nf1', 'plexiform'],
    states: ['schwannoma', 'neurofibroma', 'neurofibromas', 'neuroma', 'nerve sheath tumor', 'nerve sheath tumour', 'neurofibromatosis', 'nf1', 'plexiform', 'vestibular schwannoma', 'cerebellopontine angle mass', 'cpa mass'],
    classes: ['tumour'],
  },
  {
    id: 'sellar-tumour',
    diagnosis: ['craniopharyngioma', 'macroadenoma', 'pituitary adenoma', 'growth hormone adenoma', 'adenoma', 'pituitary'],
    states: ['craniopharyngioma', 'adenoma', 'macroadenoma', 'microadenoma', 'pituitary mass', 'sellar mass', 'suprasellar mass', 'pituitary tumor', 'pituitary lesion'],
    classes: ['tumour'],
  },
  {
    id: 'haemangioblastoma',
    diagnosis: ['hemangioblastoma', 'haemangioblastoma'],
    states: ['hemangioblastoma', 'haemangioblastoma', 'cyst with mural nodule', 'cystic mass with an enhancing mural nodule', 'mural nodule'],
    classes: ['tumour'],
  },
  {
    id: 'sarcoma',
    diagnosis: ['sarcoma', 'osteosarcoma', 'osteogenic', 'chondrosarcoma', 'leiomyosarcoma', 'rhabdomyosarcoma', 'rabdomyosarcoma', 'liposarcoma', 'ewing', 'chordoma', 'chondroid neoplasm'],
    states: ['sarcoma', 'osteosarcoma', 'chondrosarcoma', 'leiomyosarcoma', 'rhabdomyosarcoma', 'liposarcoma', 'ewing', 'chordoma', 'soft tissue mass', 'periosteal reaction', 'chondroid'],
    classes: ['tumour', 'boneLesion'],
  },
  {
    id: 'myeloma',
    diagnosis: ['myeloma', 'plasmacytoma'],
    states: ['myeloma', 'plasmacytoma', 'punched-out', 'punched out'],
    classes: ['tumour', 'boneLesion'],
  },
  {
    id: 'melanoma',
    diagnosis: ['melanoma'],
    states: ['melanoma'],
    classes: ['tumour'],
  },
  {
    id: 'embryonal-tumour',
    diagnosis: ['neuroblastoma', 'wilms', 'nephroblastoma', 'germ cell', 'teratoma', 'seminoma', 'nonseminomatous', 'dermoid', 'blastoma'],
    states: ['neuroblastoma', 'wilms', 'nephroblastoma', 'germ cell tumor', 'teratoma', 'dermoid', 'seminoma', 'fat-containing', 'fat containing', 'fat and calcification', 'fat-fluid level'],
    classes: ['tumour'],
  },
  {
    id: 'neuroendocrine-tumour',
    diagnosis: ['carcinoid', 'pheochromocytoma', 'paraganglioma'],
    states: ['carcinoid', 'neuroendocrine', 'pheochromocytoma', 'paraganglioma', 'adrenal mass', 'adrenal lesion', 'glomus'],
    classes: ['tumour'],
  },
  {
    id: 'fat-containing-tumour',
    diagnosis: ['angiomyolipoma', 'angiomyolipomas', 'myelolipoma', 'lipoma', 'lipomas', 'lipomatosis', 'lipomatous', 'hamartoma', 'hamartomas', 'macrodystrophia lipomatosa'],
    states: ['angiomyolipoma', 'aml', 'myelolipoma', 'lipoma', 'lipomatous', 'lipomatosis', 'hamartoma', 'fat-containing', 'fat containing', 'macroscopic fat', 'fatty mass', 'fatty lesion', 'fat density', 'fat attenuation', 'fatty tissue', 'fat', 'popcorn calcification', 'overgrowth'],
    classes: ['tumour'],
  },
  {
    id: 'haemangioma',
    diagnosis: ['hemangioma', 'haemangioma', 'angiofibroma', 'angioma'],
    states: ['hemangioma', 'haemangioma', 'angiofibroma', 'vascular lesion', 'vascular mass', 'vascular tumor', 'hypervascular mass', 'enhancing mass', 'venous malformation', 'vascular malformation'],
    classes: ['tumour'],
  },
  {
    id: 'bone-tumour',
    diagnosis: [
      'enchondroma', 'chondroma', 'osteochondroma', 'osteochondromatous', 'chondroblastoma', 'giant cell tumor', 'osteoid osteoma',
      'nonossifying fibroma', 'non-ossifying fibroma', 'fibrous dysplasia', 'aneurysmal bone cyst', 'enostosis', 'liposclerosing',
      'myxofibrous', 'ameloblastoma', 'keratocyst', 'radicular cyst', 'eosinophilic granuloma', 'vertebra plana', 'bone cyst',
      'intraosseous', 'osseous hemangioma', 'calvarial hemangioma', 'expansile bone',
    ],
    states: [
      'enchondroma', 'chondroma', 'osteochondroma', 'exostosis', 'chondroblastoma', 'giant cell tumor', 'osteoid osteoma', 'nidus',
      'fibroma', 'fibrous dysplasia', 'ground glass matrix', 'ground-glass matrix', 'aneurysmal bone cyst', 'fluid-fluid levels',
      'bone island', 'enostosis', 'ameloblastoma', 'keratocyst', 'odontogenic', 'eosinophilic granuloma', 'histiocytosis',
      'vertebra plana', 'bone cyst', 'bony outgrowth', 'cortical thickening', 'periosteal reaction', 'sclerotic', 'sclerosis',
    ],
    classes: ['tumour', 'boneLesion', 'cyst'],
  },
  {
    id: 'soft-tissue-tumour',
    diagnosis: ['leiomyoma', 'fibroid', 'fibromatosis', 'fibrous tumor', 'granular cell tumor', 'papilloma', 'papillomatosis', 'oncocytoma', 'hepatic adenoma', 'adrenal adenoma', 'cystadenoma', 'mucinous cystic neoplasm', 'intraductal papillary mucinous', 'ipmn', 'endolymphatic sac tumor', 'desmoplastic', 'xanthoma', 'xanthomas'],
    states: ['leiomyoma', 'fibroid', 'fibroids', 'myoma', 'fibromatosis', 'fibrous tumor', 'papilloma', 'papillomatosis', 'oncocytoma', 'adenoma', 'cystadenoma', 'cystic neoplasm', 'ipmn', 'mucinous', 'xanthoma', 'nodule', 'nodular'],
    classes: ['tumour', 'cyst'],
  },
  {
    id: 'lhermitte-duclos',
    diagnosis: ['lhermitte', 'duclos', 'cowden', 'gangliocytoma'],
    states: ['lhermitte', 'duclos', 'gangliocytoma', 'cowden', 'striated', 'tiger-striped', 'tiger striped', 'corduroy', 'cerebellar mass', 'cerebellar lesion', 'hamartoma'],
    classes: ['tumour'],
  },
  {
    id: 'phakomatosis',
    diagnosis: ['tuberous sclerosis', 'sturge-weber', 'sturge weber', 'gorlin', 'hereditary hemorrhagic telangiectasia', 'von meyenburg', 'biliary hamartomas'],
    states: ['tuberous sclerosis', 'tubers', 'cortical tubers', 'subependymal nodules', 'subependymal giant cell astrocytoma', 'sega', 'angiomyolipoma', 'angiomatosis', 'leptomeningeal enhancement', 'tram-track', 'gyriform calcification', 'cortical calcification', 'gorlin', 'basal cell nevus', 'keratocyst', 'falx calcification', 'calcified nodules', 'calcifications', 'hamartoma', 'hamartomas', 'von meyenburg', 'multiple small cysts', 'telangiectasia', 'arteriovenous malformation', 'avm'],
  },
  {
    id: 'lymphangioleiomyomatosis',
    diagnosis: ['lymphangioleiomyomatosis', 'lam'],
    states: ['lymphangioleiomyomatosis', 'lam', 'thin-walled cysts', 'thin walled cysts', 'thin-walled cystic', 'thin walled cystic', 'cysts', 'cystic', 'cystic lung disease'],
  },
  // Cysts and collections.
  {
    id: 'cyst',
    diagnosis: ['cyst', 'cystic', 'cysts', 'epidermoid', 'dermoid', 'pseudocyst', 'cystocele', 'dacryocystocele', 'colloid', 'arachnoid', 'thyroglossal', 'synovial cyst', 'bosniak', 'endometrioma', 'mucocele'],
    states: ['epidermoid', 'dermoid', 'pseudocyst', 'colloid cyst', 'arachnoid cyst', 'thyroglossal', 'synovial cyst', 'endometrioma', 'bosniak', 'mucocele', 'dacryocystocele', 'hydatid'],
    classes: ['cyst'],
  },
  {
    id: 'polycystic-kidney',
    diagnosis: ['polycystic', 'adpkd', 'arpkd'],
    states: ['polycystic', 'adpkd', 'arpkd', 'multiple cysts', 'numerous cysts', 'innumerable cysts', 'cysts', 'enlarged kidneys'],
  },
  {
    id: 'biloma',
    diagnosis: ['biloma', 'biliary leak', 'bile leak'],
    states: ['biloma', 'bile leak', 'biliary leak', 'leak', 'bile collection'],
    classes: ['fluidCollection'],
  },
  // Haemorrhage and trauma.
  {
    id: 'subdural-haematoma',
    diagnosis: ['subdural'],
    states: ['subdural', 'extra-axial collection', 'extra-axial fluid', 'extraaxial collection', 'crescentic collection'],
    classes: ['haemorrhage'],
  },
  {
    id: 'epidural-haematoma',
    diagnosis: ['epidural hematoma', 'epidural haematoma', 'extradural'],
    states: ['epidural', 'extradural', 'biconvex', 'lentiform collection'],
    classes: ['haemorrhage'],
  },
  {
    id: 'subarachnoid-haemorrhage',
    diagnosis: ['subarachnoid', 'sah'],
    states: ['subarachnoid', 'sah', 'blood in the basal cisterns', 'sulcal blood'],
    classes: ['haemorrhage'],
  },
  {
    id: 'haemorrhage',
    diagnosis: ['hemorrhage', 'haemorrhage', 'hematoma', 'haematoma', 'hematomas', 'hemorrhagic', 'bleed', 'extravasation', 'hemosiderosis', 'lipohemarthrosis', 'hemothorax'],
    states: ['extravasation', 'active bleeding', 'contrast blush', 'hemosiderosis', 'lipohemarthrosis', 'hemarthrosis', 'fat-fluid level', 'fat fluid level', 'hemothorax', 'hemoperitoneum', 'intraparenchymal hemorrhage'],
    classes: ['haemorrhage'],
  },
  {
    id: 'laceration',
    diagnosis: ['laceration', 'rupture', 'ruptured', 'boerhaave', 'perforation', 'battered', 'blast', 'penetrating', 'trauma', 'injury', 'landmine', 'bullet', 'shrapnel'],
    states: ['laceration', 'lacerations', 'rupture', 'ruptured', 'perforation', 'perforated', 'contusion', 'injury', 'injuries', 'trauma', 'traumatic', 'foreign body', 'bullet', 'shrapnel', 'metallic fragments', 'fragments', 'extraluminal contrast', 'leak'],
    classes: ['haemorrhage', 'freeGas', 'fracture'],
  },
  {
    id: 'fracture',
    diagnosis: ['fracture', 'fractures', 'fracture/tract', 'burst', 'chance', 'jefferson', 'blow-out', 'blowout', 'salter-harris', 'salter harris', 'segond', 'hill-sachs', 'hill-sach', 'bankart', 'stress fracture', 'locked facets', 'jumped', 'fracture dislocation'],
    states: ['burst', 'chance', 'jefferson', 'blow-out', 'blowout', 'salter-harris', 'salter', 'segond', 'hill-sachs', 'hill-sach', 'bankart', 'impaction', 'compression deformity', 'stress reaction', 'locked facets', 'perched facets', 'facet dislocation', 'dislocation', 'subluxation', 'bone contusion', 'bone bruise', 'marrow edema'],
    classes: ['fracture'],
  },
  {
    id: 'dislocation',
    diagnosis: ['dislocation', 'dislocated', 'subluxation', 'spondylolisthesis', 'listhesis', 'transection'],
    states: ['dislocation', 'dislocated', 'subluxation', 'subluxed', 'spondylolisthesis', 'anterolisthesis', 'retrolisthesis', 'listhesis', 'malalignment', 'pars defect', 'spondylolysis', 'transection', 'translation'],
  },
  {
    id: 'tendon-ligament-tear',
    diagnosis: ['tear', 'tears', 'torn', 'disruption', 'rupture', 'ligament', 'tendon', 'tendinosis', 'slap', 'stener', 'meniscal', 'labral', 'inversion injury'],
    states: ['tendinosis', 'tendinopathy', 'tendinitis', 'tendonitis', 'partial-thickness', 'full-thickness', 'retracted', 'stener', 'slap', 'labral', 'meniscal', 'thinning', 'irregularity', 'sprain', 'laxity'],
    classes: ['tear'],
  },
  // Vessels.
  {
    id: 'embolism-thrombosis',
    diagnosis: ['embolism', 'embolus', 'emboli', 'thromboembolism', 'thromboembolic', 'thrombosis', 'thrombus', 'occlusion', 'lemierre', 'budd-chiari', 'budd chiari', 'embolized'],
    states: ['pulmonary embolism', 'pe', 'dvt', 'saddle', 'thrombophlebitis', 'lemierre', 'budd-chiari', 'hepatic vein thrombosis', 'venous thrombosis', 'sinus thrombosis', 'septic emboli', 'embolized', 'migrated'],
    classes: ['thrombus'],
  },
  {
    id: 'infarct',
    diagnosis: ['infarct', 'infarction', 'infarcts', 'stroke', 'stoke', 'ischemic', 'ischemia', 'ischaemic', 'mca territory', 'pca territory', 'pica', 'necrosis', 'cortical necrosis'],
    states: ['territory', 'non-enhancement', 'nonenhancement', 'non enhancing', 'lack of enhancement', 'loss of gray-white', 'loss of grey-white', 'insular ribbon', 'hyperdense mca', 'wedge-shaped', 'perfusion defect', 'necrosis', 'necrotic', 'encephalomalacia', 'gliosis'],
    classes: ['infarct'],
  },
  {
    id: 'osteonecrosis',
    diagnosis: ['avascular necrosis', 'avn', 'osteonecrosis', 'bone infarct', 'kohler', 'osteochondritis', 'dissecans'],
    states: ['avascular necrosis', 'avn', 'osteonecrosis', 'necrosis', 'bone infarct', 'crescent sign', 'subchondral collapse', 'subchondral fracture', 'double line', 'osteochondritis', 'osteochondral', 'osteochondral lesion', 'osteochondral defect', 'osteochondral fragment', 'subchondral', 'fragmentation', 'flattening', 'collapse'],
  },
  {
    id: 'aneurysm',
    diagnosis: ['aneurysm', 'aneurysms', 'pseudoaneurysm', 'aneurysmal dilatation', 'aortic dilatation'],
    states: ['berry aneurysm', 'saccular', 'fusiform', 'dilated aorta', 'aortic dilatation', 'enlarged aorta'],
    classes: ['aneurysm'],
  },
  {
    id: 'dissection',
    diagnosis: ['dissection'],
    states: ['dissection', 'dissecting', 'intimal flap', 'false lumen', 'intramural hematoma', 'double lumen', 'flap'],
  },
  {
    id: 'vascular-malformation',
    diagnosis: ['arteriovenous malformation', 'avm', 'arteriovenous fistula', 'av fistula', 'cavernous malformation', 'cavernoma', 'developmental venous anomaly', 'dva', 'venous angioma', 'vein of galen', 'carotid cavernous fistula', 'cavernous hemangioma', 'telangiectasia', 'pulmonary arteriovenous'],
    states: ['cavernous hemangioma', 'popcorn', 'hemosiderin rim', 'blooming', 'caput medusae', 'vein of galen', 'carotid-cavernous', 'carotid cavernous', 'dilated superior ophthalmic vein', 'enlarged superior ophthalmic vein', 'feeding artery', 'draining vein', 'arteriovenous shunting', 'early venous drainage'],
    classes: ['vascularMalformation'],
  },
  {
    id: 'vascular-narrowing',
    diagnosis: ['coarctation', 'stenosis', 'compression syndrome', 'compression sydrome', 'may-thurner', 'bow hunter', 'arteritis', 'takayasu', 'fibromuscular dysplasia', 'vena cava syndrome', 'svc syndrome', 'angiopathy', 'vasculitis', 'eagle'],
    states: ['coarctation', 'stenosis', 'stenotic', 'narrowing', 'narrowed', 'compression', 'compressed', 'occlusion', 'occluded', 'collaterals', 'collateral vessels', 'rib notching', 'arteritis', 'vasculitis', 'wall thickening', 'string of beads', 'beading', 'vasoconstriction', 'vasospasm', 'angiopathy', 'styloid', 'elongated styloid', 'may-thurner', 'takayasu', 'fibromuscular dysplasia', 'fmd'],
  },
  {
    id: 'aortic-arch-anomaly',
    diagnosis: ['aberrant', 'right aortic arch', 'left-sided aortic arch', 'aortic arch'],
    states: ['aberrant', 'retroesophageal', 'kommerell', 'lusoria', 'right aortic arch', 'right-sided aortic arch', 'right-sided arch', 'double aortic arch', 'vascular ring'],
    classes: ['congenital'],
  },
  {
    id: 'venous-anomaly',
    diagnosis: ['duplicated inferior vena cava', 'absence of ivc', 'ivc', 'anomalous pulmonary venous', 'papvr', 'scimitar'],
    states: ['duplicated', 'duplication', 'duplicate', 'double ivc', 'left-sided ivc', 'left ivc', 'left inferior vena cava', 'azygos continuation', 'hemiazygos continuation', 'interrupted', 'absent', 'absence', 'anomalous', 'papvr', 'scimitar', 'anomalous drainage', 'draining into the superior vena cava'],
    classes: ['congenital'],
  },
  {
    id: 'arterial-variant',
    diagnosis: ['replaced', 'hypoplastic a1', 'a1 segment', 'deviation of internal carotid', 'internal carotid artery'],
    states: ['replaced', 'aberrant', 'hypoplastic', 'hypoplasia', 'absent a1', 'medial deviation', 'medially deviated', 'retropharyngeal carotid', 'retropharyngeal course', 'tortuous', 'kissing carotids', 'arising from the superior mesenteric'],
    classes: ['congenital'],
  },
  {
    id: 'congenital-heart-disease',
    diagnosis: ['transposition', 'ductus arteriosus', 'atrial septal defect', 'asd', 'bicuspid', 'noncompaction', 'non compaction'],
    states: ['transposition', 'ventricular inversion', 'ductus', 'pda', 'septal defect', 'asd', 'shunt', 'bicuspid', 'noncompaction', 'non-compaction', 'trabeculation', 'trabeculations', 'trabeculated', 'aortic stenosis', 'aortic dilatation'],
    classes: ['congenital'],
  },
  {
    id: 'sequestration',
    diagnosis: ['sequestration'],
    states: ['sequestration', 'systemic arterial supply', 'systemic artery', 'aberrant artery', 'feeding vessel', 'feeding artery', 'arterial supply from the aorta'],
    classes: ['congenital'],
  },
  // Infection and inflammation.
  {
    id: 'pneumonia',
    diagnosis: ['pneumonia', 'pneumonitis', 'pcp', 'pneumocystis', 'cryptococcal', 'aspergillosis', 'coccidioidomycosis', 'aspiration', 'alveolar proteinosis', 'pap'],
    states: ['aspergillosis', 'aspergilloma', 'halo sign', 'pneumocystis', 'pcp', 'coccidioidomycosis', 'miliary', 'aspiration', 'alveolar proteinosis', 'crazy paving', 'crazy-paving', 'nodules', 'cavitation', 'cavitary'],
    classes: ['pneumonia', 'infection'],
  },
  {
    id: 'tuberculosis',
    diagnosis: ['tuberculosis', 'tb', 'tuberculous', 'pott', 'mycobacterial'],
    states: ['tuberculosis', 'tb', 'tuberculous', 'mycobacterial', 'cavitation', 'cavity', 'cavitary', 'tree-in-bud', 'tree in bud', 'granuloma', 'granulomas', 'ghon', 'miliary', 'spondylitis', 'discitis', 'osteomyelitis', 'paraspinal abscess', 'gibbus'],
    classes: ['infection', 'pneumonia'],
  },
  {
    id: 'abscess',
    diagnosis: ['abscess', 'abcess', 'empyema', 'pyopneumothorax', 'phlegmon', 'brodie'],
    states: ['abscess', 'empyema', 'pyopneumothorax', 'rim enhanced', 'rim-enhanced', 'rim enhancement', 'rim-enhancing', 'rim enhancing', 'ring-enhancing', 'ring enhancing', 'loculated', 'split pleura', 'brodie', 'hydropneumothorax', 'air-fluid level'],
    classes: ['infection', 'fluidCollection'],
  },
  {
    id: 'osteomyelitis',
    diagnosis: ['osteomyelitis', 'discitis', 'myositis', 'dermatomyositis', 'fasciitis', 'cellulitis', 'septic arthritis'],
    states: ['osteomyelitis', 'discitis', 'spondylodiscitis', 'myositis', 'dermatomyositis', 'fasciitis', 'cellulitis', 'soft tissue swelling', 'soft tissue edema', 'fat stranding', 'soft tissue gas', 'gas in the soft tissues', 'subcutaneous gas', 'muscle edema', 'bone destruction', 'periosteal reaction', 'sequestrum', 'calcinosis'],
    classes: ['infection'],
  },
  {
    id: 'encephalitis',
    diagnosis: ['encephalitis', 'hsv', 'herpes', 'cytomegalovirus', 'cmv', 'creutzfeldt', 'jakob', 'jacob', 'cjd', 'spongioform', 'spongiform'],
    states: ['encephalitis', 'herpes', 'hsv', 'cytomegalovirus', 'cmv', 'periventricular calcification', 'periventricular calcifications', 'creutzfeldt', 'cjd', 'cortical ribboning', 'pulvinar', 'hockey stick', 'prion'],
    classes: ['infection'],
  },
  {
    id: 'parasite',
    diagnosis: ['cysticercosis', 'echinococcal', 'hydatid', 'schistosomiasis', 'parasitic'],
    states: ['cysticercosis', 'neurocysticercosis', 'scolex', 'echinococcal', 'echinococcus', 'hydatid', 'daughter cysts', 'schistosomiasis', 'periportal fibrosis', 'parasitic', 'calcified granulomas', 'ring-enhancing', 'ring enhancing'],
    classes: ['infection', 'cyst'],
  },
  {
    id: 'appendicitis',
    diagnosis: ['appendicitis', 'appendicolith'],
    states: ['appendicitis', 'appendicolith', 'inflamed appendix', 'dilated appendix', 'enlarged appendix', 'thickened appendix', 'periappendiceal', 'appendiceal abscess', 'appendiceal perforation', 'appendiceal wall thickening'],
  },
  {
    id: 'gallbladder-biliary-inflammation',
    diagnosis: ['cholecystitis', 'cholangitis', 'sclerosing cholangitis', 'cholangiohepatitis'],
    states: ['cholecystitis', 'cholangitis', 'gallbladder wall thickening', 'pericholecystic', 'biliary dilatation', 'biliary dilation', 'ductal dilatation', 'ductal dilation', 'stricture', 'strictures', 'beading', 'beaded', 'intrahepatic stones', 'sludge'],
    classes: ['calculus'],
  },
  {
    id: 'bowel-inflammation',
    diagnosis: ["crohn", 'crohns', 'colitis', 'megacolon', 'ibd', 'inflammatory bowel', 'enteritis', 'appendagitis', 'cystitis', 'sialadenitis', 'sialadenitits', 'dacryocystitis', 'sinusitis'],
    states: ['crohn', 'colitis', 'megacolon', 'ileitis', 'enteritis', 'inflammatory bowel', 'ibd', 'bowel wall thickening', 'wall thickening', 'mural thickening', 'accordion sign', 'skip lesions', 'creeping fat', 'comb sign', 'thickened bowel', 'thickened bowel wall', 'appendagitis', 'cystitis', 'sialadenitis', 'dacryocystitis', 'sinusitis', 'mucosal thickening', 'fat stranding', 'stranding'],
    classes: ['infection'],
  },
  {
    id: 'granulomatous-disease',
    diagnosis: ['sarcoid', 'sarcoidosis', 'wegener', 'granulomatosis', 'granuloma', 'mediastinal fibrosis', 'retroperitoneal fibrosis'],
    states: ['sarcoid', 'sarcoidosis', 'hilar lymphadenopathy', 'lymphadenopathy', 'adenopathy', 'perilymphatic nodules', 'wegener', 'granulomatosis', 'cavitating nodules', 'subglottic stenosis', 'subglottic narrowing', 'nodules', 'granuloma', 'granulomas', 'granulomatous', 'fibrosing mediastinitis', 'soft tissue encasing', 'encasement', 'encasing', 'retroperitoneal fibrosis'],
    classes: ['fibrosis'],
  },
  {
    id: 'deposition-disease',
    diagnosis: ['gout', 'tophaceous', 'hydroxyapatite', 'villonodular', 'pvns', 'lipoma arborescens', 'amyloidosis', 'heterotopic ossification', 'opll', 'ossification of the posterior longitudinal'],
    states: ['gout', 'tophus', 'tophi', 'tophaceous', 'hydroxyapatite', 'calcific tendinitis', 'calcific tendinopathy', 'calcification', 'calcific deposit', 'pvns', 'villonodular', 'hemosiderin', 'blooming', 'synovitis', 'synovial proliferation', 'frond-like', 'lipoma arborescens', 'amyloid', 'ossification', 'ossified', 'heterotopic', 'opll', 'calcified mass'],
  },
  {
    id: 'tendon-degeneration',
    diagnosis: ['epicondylitis', 'tendinosis', 'parsonage', 'turner'],
    states: ['epicondylitis', 'tendinosis', 'tendinopathy', 'common extensor', 'parsonage', 'neuralgic amyotrophy', 'denervation', 'muscle edema', 'denervation edema'],
  },
  // Lungs and pleura.
  {
    id: 'interstitial-lung-disease',
    diagnosis: ['interstitial', 'ild', 'uip', 'nsip', 'pulmonary fibrosis', 'fibrosis', 'copd', 'emphysema', 'hemosiderosis'],
    states: ['interstitial', 'uip', 'nsip', 'emphysema', 'emphysematous', 'centrilobular', 'bullae', 'bullous', 'copd', 'hyperinflation', 'hyperinflated', 'hyperlucent', 'ground glass', 'ground-glass'],
    classes: ['fibrosis'],
  },
  {
    id: 'airway-disease',
    diagnosis: ['bronchiectasis', 'mucus plug', 'bronchial atresia', 'swyer-james', 'swyer james', 'endobronchial', 'sand aspiration', 'lobar emphysema'],
    states: ['bronchiectasis', 'bronchiectatic', 'mucus plug', 'mucus plugging', 'mucoid impaction', 'bronchocele', 'atresia', 'swyer-james', 'macleod', 'hyperlucent', 'hyperlucency', 'air trapping', 'endobronchial', 'aspiration', 'aspirated', 'overinflation', 'hyperinflation', 'dilated bronchi', 'bronchial dilatation', 'obstructing lesion'],
  },
  {
    id: 'collapse',
    diagnosis: ['collapse', 'atelectasis'],
    states: ['collapse', 'collapsed', 'atelectasis', 'atelectatic', 'volume loss', 'luftsichel', 'comet tail', 'round atelectasis', 'golden s'],
  },
  {
    id: 'air-leak',
    patterns: [`\\b(?:air|gas)\\b${GAP}\\b(?:bowel|bladder) wall`],
    diagnosis: ['pneumothorax', 'pneumomediastinum', 'pneumopericardium', 'pneumoscrotum', 'pneumatosis', 'portal venous gas', 'emphysematous', 'bronchopleural fistula'],
    states: ['pneumothorax', 'hydropneumothorax', 'pneumomediastinum', 'mediastinal air', 'mediastinal emphysema', 'pneumopericardium', 'pericardial air', 'pneumoscrotum', 'scrotal air', 'scrotal gas', 'subcutaneous emphysema', 'subcutaneous air', 'pneumatosis', 'intramural gas', 'intramural air', 'intramural bladder gas', 'portal venous gas', 'portal venous air', 'emphysematous', 'bronchopleural fistula', 'air-fluid level', 'free air', 'gas in the bladder wall'],
  },
  {
    id: 'pleural-pericardial',
    diagnosis: ['pleural effusion', 'pleural effusions', 'pericardial effusion', 'pleural plaques', 'asbestos', 'calcified pericardium', 'absence of the pericardium', 'pericardial cyst', 'pericardium'],
    states: ['pleural effusion', 'pleural effusions', 'effusion', 'effusions', 'pericardial effusion', 'pericardial fluid', 'pleural plaque', 'pleural plaques', 'asbestos', 'pleural calcification', 'pleural thickening', 'pericardial calcification', 'calcified pericardium', 'constrictive', 'pericardial defect', 'absent pericardium', 'absence of the pericardium', 'pericardial cyst'],
  },
  // Abdomen.
  {
    id: 'torsion-volvulus',
    diagnosis: ['torsion', 'volvulus', 'malrotation', 'intussusception'],
    states: ['torsion', 'torsed', 'twisted', 'twisting', 'whirl', 'whirlpool', 'whirl sign', 'volvulus', 'malrotation', 'intussusception', 'target sign', 'closed loop', 'closed-loop', 'reversed sma', 'sma-smv reversal', 'smv to the left'],
  },
  {
    id: 'bowel-obstruction',
    diagnosis: ['obstruction', 'obstructive', 'constipation', 'retained stool', 'bezoar', 'trichobezoar', 'rapunzel', 'achalasia'],
    states: ['obstruction', 'obstructed', 'sbo', 'dilated loops', 'dilated small bowel', 'transition point', 'air-fluid levels', 'stool', 'fecal', 'faecal', 'fecal loading', 'constipation', 'bezoar', 'trichobezoar', 'achalasia', 'bird beak', "bird's beak", 'dilated esophagus', 'esophageal dilatation', 'distended'],
    classes: ['obstruction'],
  },
  {
    id: 'hernia-diverticulum',
    diagnosis: ['hernia', 'herniation', 'diverticulum', 'diverticula', 'bochdalek', 'spigelian', 'encephalocele', 'meningocele', 'disk herniation', 'disc herniation', 'sequestered'],
    states: ['hernia', 'herniation', 'herniated', 'herniating', 'diverticulum', 'diverticula', 'outpouching', 'pouch', 'encephalocele', 'cephalocele', 'meningocele', 'extrusion', 'protrusion', 'extruded', 'sequestered', 'sequestration', 'bochdalek', 'spigelian'],
  },
  {
    id: 'fistula',
    diagnosis: ['fistula', 'fistualization', 'fistulization', 'sinus tract', 'branchial cleft', 'rectovaginal'],
    states: ['fistula', 'fistulae', 'fistulas', 'fistulous', 'sinus tract', 'tract', 'communication', 'branchial cleft'],
  },
  {
    id: 'peritoneal-disease',
    diagnosis: ['pseudomyxoma', 'peritonei', 'peritoneal carcinomatosis', 'carcinomatosis'],
    states: ['pseudomyxoma', 'mucinous ascites', 'ascites', 'scalloping', 'peritoneal implants', 'peritoneal thickening', 'omental caking', 'omental cake', 'carcinomatosis', 'gelatinous'],
    classes: ['tumour'],
  },
  {
    id: 'calcification',
    diagnosis: ['calcification', 'calcifications', 'calcified'],
    states: ['calcification', 'calcifications', 'calcified', 'calcific', 'calcium'],
  },
  {
    id: 'calculus',
    diagnosis: ['lithiasis', 'nephrolithiasis', 'ureterolithiasis', 'choledocholithiasis', 'cholelithiasis', 'staghorn', 'calculus', 'calculi', 'stone', 'stones'],
    states: [],
    classes: ['calculus'],
  },
  {
    id: 'nephrocalcinosis',
    diagnosis: ['nephrocalcinosis', 'renal tubular acidosis'],
    states: ['nephrocalcinosis', 'medullary calcification', 'medullary calcifications', 'cortical calcification', 'renal calcification', 'renal calcifications', 'calcifications', 'calcification', 'echogenic pyramids'],
  },
  {
    id: 'hydronephrosis',
    diagnosis: ['hydronephrosis', 'ureteral obstruction', 'hydrocephalus', 'aqueductal stenosis', 'shunt failure', 'dilated virchow', 'virchow robin', 'perivascular space'],
    states: ['hydronephrosis', 'hydroureter', 'hydroureteronephrosis', 'pelvicaliectasis', 'hydrocephalus', 'ventriculomegaly', 'dilated ventricles', 'enlarged ventricles', 'ventricular dilatation', 'aqueductal stenosis', 'shunt disconnection', 'disconnection', 'disconnected', 'discontinuity', 'shunt fracture', 'perivascular space', 'perivascular spaces', 'virchow', 'virchow-robin'],
  },
  {
    id: 'liver-parenchyma',
    diagnosis: ['fatty infiltration', 'focal sparing', 'steatosis', 'amiodarone', 'hepatic congestion', 'congestive heart failure', 'cirrhosis', 'portal hypertension'],
    states: ['steatosis', 'fatty infiltration', 'fatty liver', 'focal sparing', 'focal fatty', 'amiodarone', 'increased attenuation', 'hyperattenuating', 'hyperdense liver', 'high attenuation', 'congestion', 'congestive', 'congestive hepatopathy', 'heart failure', 'nutmeg', 'dilated hepatic veins', 'hepatomegaly', 'cirrhosis', 'cirrhotic', 'nodular liver', 'portal hypertension', 'varices', 'splenomegaly'],
  },
  {
    id: 'renal-anomaly',
    diagnosis: ['horseshoe', 'ectopia', 'duplicated renal', 'renal duplicity', 'duplication', 'agenesis', 'single kidney'],
    states: ['horseshoe', 'fused', 'fusion', 'ectopia', 'ectopic', 'crossed', 'duplicated', 'duplication', 'duplex', 'bifid', 'agenesis', 'absent kidney', 'solitary kidney', 'single kidney', 'compensatory hypertrophy'],
    classes: ['congenital'],
  },
  {
    id: 'uterine-anomaly',
    diagnosis: ['bicornuate', 'adenomyosis'],
    states: ['bicornuate', 'didelphys', 'septate', 'two uterine horns', 'adenomyosis', 'junctional zone'],
    classes: ['congenital'],
  },
  {
    id: 'pancreatic-anomaly',
    diagnosis: ['annular pancreas', 'pancreatic divisum', 'pancreas divisum'],
    states: ['annular pancreas', 'annular', 'encircling', 'divisum', 'santorini', 'dorsal duct', 'minor papilla'],
    classes: ['congenital'],
  },
  {
    id: 'situs-anomaly',
    diagnosis: ['situs inversus', 'dextrocardia', 'azygous lobe', 'azygos lobe'],
    states: ['situs inversus', 'situs', 'dextrocardia', 'mirror image', 'azygos', 'azygous'],
    classes: ['congenital'],
  },
  {
    id: 'adrenal-hyperplasia',
    diagnosis: ['adrenal hyperplasia'],
    states: ['adrenal hyperplasia', 'hyperplasia', 'adrenal enlargement', 'enlarged adrenal', 'enlarged adrenals', 'adrenal rests'],
    patterns: [`\\badrenals?\\b${GAP}\\b(?:enlarg\\w*|hyperplas\\w*|thicken\\w*)`, `\\b(?:enlarg\\w*|hyperplas\\w*)\\b${GAP}\\badrenals?\\b`],
  },
  {
    id: 'postsurgical-anatomy',
    diagnosis: ['gastric pull through', 'thymectomy', 'sternotomy', 'cholecystectomy'],
    states: ['pull-through', 'pull through', 'gastric conduit', 'intrathoracic stomach', 'esophagectomy', 'thymectomy', 'sternotomy', 'postsurgical', 'post-surgical', 'postoperative', 'post-operative', 'surgical clips', 'clips', 'cholecystectomy', 'residual thymus'],
  },
  {
    id: 'skeletal-variant',
    diagnosis: ['bipartite', 'os acromiale', 'meniscal ossicle', 'ossicle'],
    states: ['bipartite', 'os acromiale', 'unfused', 'accessory ossicle', 'ossicle', 'accessory ossification', 'synchondrosis'],
    classes: ['congenital'],
  },
  {
    id: 'sclerosing-bone',
    diagnosis: ['osteopoikilosis', 'osteopetrosis', 'sclerotic bone dysplasia', 'ivory vertebral', 'ivory', 'hyperostosis'],
    states: ['osteopoikilosis', 'bone islands', 'osteopetrosis', 'sclerosis', 'sclerotic', 'increased bone density', 'dense bones', 'dense vertebra', 'uniformly dense', 'ivory', 'hyperostosis', 'thickening of the inner table', 'frontal bone thickening'],
  },
  {
    id: 'spine-development',
    diagnosis: ['scheuermann', 'spinal stenosis', 'tethered'],
    states: ['scheuermann', 'kyphosis', 'schmorl', 'endplate irregularity', 'wedging', 'spinal stenosis', 'canal stenosis', 'canal narrowing', 'stenosis', 'tethered', 'low-lying conus', 'low lying conus', 'filum lipoma'],
  },
  {
    id: 'brain-malformation',
    diagnosis: ['septo-optic', 'agenesis of the corpus callosum', 'colpocephaly', 'heterotopic gray matter', 'heterotopia', 'chiari', 'anencephaly', 'conjoined', 'diprosopus', 'malformation'],
    states: [
      'septo-optic', 'absent septum pellucidum', 'absence of the septum pellucidum', 'optic nerve hypoplasia', 'hypoplasia', 'hypoplastic',
      'agenesis of the corpus callosum', 'callosal agenesis', 'colpocephaly', 'dysgenesis', 'heterotopia', 'heterotopic gray matter',
      'heterotopic grey matter', 'chiari', 'tonsillar herniation', 'tonsillar ectopia', 'tonsillar descent', 'syrinx', 'syringohydromyelia',
      'anencephaly', 'conjoined', 'diprosopus',
    ],
    patterns: [`\\btonsils?\\b${GAP}\\b(?:low|descen\\w*|herniat\\w*|ectop\\w*)`, `\\b(?:low[- ]lying|herniat\\w*|ectopic)\\b${GAP}\\btonsils?\\b`],
    classes: ['congenital'],
  },
  {
    id: 'skull-face-anomaly',
    diagnosis: ['craniosynostosis', 'synostosis', 'scaphocephaly', 'goldenhar', 'vacterl', 'mondini', 'cholesteatoma'],
    states: [
      'craniosynostosis', 'synostosis', 'fused suture', 'premature fusion', 'scaphocephaly', 'trigonocephaly', 'plagiocephaly', 'goldenhar',
      'hemifacial microsomia', 'microtia', 'vacterl', 'hemivertebra', 'butterfly vertebra', 'vertebral anomalies', 'tracheoesophageal fistula',
      'mondini', 'incomplete partition', 'cochlear dysplasia', 'cochlear malformation', 'cholesteatoma', 'ossicular erosion',
    ],
    classes: ['congenital'],
  },
  {
    id: 'sella-orbit',
    diagnosis: ['empty sella', 'pseudotumor cerebri', 'silent sinus', 'ophthalmopathy', 'graves'],
    states: [
      'empty sella', 'partially empty sella', 'pseudotumor', 'intracranial hypertension', 'papilledema', 'flattening of the posterior globe',
      'silent sinus', 'enophthalmos', 'maxillary sinus collapse', 'ophthalmopathy', 'orbitopathy', 'thyroid eye', 'graves', 'proptosis',
      'exophthalmos', 'extraocular muscle enlargement', 'enlarged extraocular muscles',
    ],
    patterns: [`\\b(?:enlarg\\w*|prominen\\w*|thicken\\w*)${GAP}\\b(?:rect\\w*|extraocular|musculature)\\b`, `\\b(?:rect\\w*|extraocular)\\b${GAP}\\b(?:enlarg\\w*|prominen\\w*|thicken\\w*)`],
  },
  // Brain parenchyma.
  {
    id: 'demyelination',
    diagnosis: ['multiple sclerosis', 'leukoaraiosis', 'myelinolysis', 'alexander', 'canavan', 'maple syrup', 'leukodystrophy', 'rosenthal'],
    states: ['multiple sclerosis', 'plaques', 'periventricular lesions', 'dawson', 'leukoaraiosis', 'small vessel', 'microvascular', 'myelinolysis', 'central pontine', 'pontine'],
    classes: ['whiteMatter'],
  },
  {
    id: 'toxic-metabolic-brain',
    diagnosis: ['wernicke', 'carbon monoxide', 'methanol', 'hallervorden', 'pank', 'pkan', 'hemichorea', 'hemiballismus', 'hypertensive encephalopathy', 'encephalopathy', 'neurodegeneration'],
    states: [
      'wernicke', 'mammillary', 'medial thalami', 'globus pallidus', 'pallidal', 'carbon monoxide', 'methanol', 'putamen', 'putaminal',
      'basal ganglia', 'eye of the tiger', 'eye-of-the-tiger', 'iron deposition', 'pkan', 'striatal', 'striatum', 'hemichorea',
      'posterior reversible', 'pres', 'vasogenic edema', 'encephalopathy', 'necrosis',
    ],
  },
  {
    id: 'optic-neuritis',
    diagnosis: ['optic neuritis', 'neuritis'],
    states: ['neuritis', 'optic nerve enhancement', 'optic nerve hyperintensity', 'enlarged optic nerve', 'optic nerve enlargement', 'demyelination'],
    patterns: [`\\boptic nerves?\\b${GAP}\\b(?:enhanc\\w*|enlarg\\w*|hyperintens\\w*|swell\\w*|thicken\\w*)`],
  },
  {
    id: 'cerebral-edema',
    diagnosis: ['cerebral edema', 'edema', 'radiation necrosis'],
    states: ['cerebral edema', 'edema', 'swelling', 'effacement', 'effaced', 'loss of gray-white', 'loss of grey-white', 'anoxic', 'hypoxic', 'herniation', 'radiation necrosis', 'necrosis', 'pseudo-subarachnoid'],
  },
  // Foreign material and devices.
  {
    id: 'foreign-body-device',
    diagnosis: ['catheter', 'tube', 'foreign body', 'skull cap', 'craniotomy fragment', 'bone flap', 'shunt', 'implant', 'migration'],
    states: ['catheter', 'tube', 'foreign body', 'migration', 'migrated', 'malpositioned', 'fractured catheter', 'fragment', 'bone flap', 'bone fragment', 'skull flap', 'calvarial flap', 'shunt', 'implant', 'implant rupture', 'extracapsular silicone', 'silicone', 'linguine', 'skull cap', 'bone in the abdominal wall'],
  },
];
