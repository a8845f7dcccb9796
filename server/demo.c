/*
 * demo: the demo data set that --demo loads into a database without
 * customers: the Wessling family and their logistics fleet, the Kaya
 * family, an unhappy service customer, small company fleets and their
 * touchpoints. Records are JSON templates resolved against today (see
 * placeholder()) and written through the API's validation and store
 * rules, all in one transaction.
 */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "log.h"
#include "model.h"
#include "store.h"
#include "util.h"

/*
 * Templates use ' for " (no text contains an apostrophe). String values
 * starting with @ are placeholders: "@date:SPEC", "@time:SPEC@HH:MM"
 * (UTC), "@year:SPEC" (an integer), "@id:NAME" (an earlier record),
 * "@journey:NAME" (one UUID per name) and "@vin:XXXXXXXXP" (WMI and
 * model code, plant; check digit, model year and serial are filled in).
 * SPEC is today shifted by signed terms such as -15y-2m+7d; month shifts
 * keep the day of the month, clamped to the month's length.
 */

#define MUNICH(street, code)                                                                       \
    "{'street':'" street "','postal_code':'" code "','city':'München','country':'DE'}"
#define WESSLING_HOME MUNICH("Maximilianstraße 12", "80539")
#define KAYA_HOME MUNICH("Schleißheimer Straße 212", "80809")

struct named {
    const char *name; /* for @id: references */
    const char *json;
};

static const struct named customers[] = {
    { "HARRY",
      "{'kind':'person','salutation':'Herr','title':'Dr.','given_name':'Harry',"
      "'family_name':'Wessling','birthday':'@date:-61y+74d','language':'de',"
      "'emails':[{'address':'harry.wessling@wessling-logistik.de','label':'work'},"
      "{'address':'h.wessling@t-online.de','label':'private'}],'phones':[{'number':'0171 4432022',"
      "'label':'mobile'},{'number':'089 3209 4410','label':'office'}],'address':" WESSLING_HOME
      ",'preferences':{'coffee':'Espresso, kein Zucker','contact':'mornings'},"
      "'consents':{'email':{'status':'granted','at':'@time:-15y-2m-12d@11:00'},"
      "'phone':'granted','post':'granted','sms':'withdrawn'},'external_refs':[{'system':'dms',"
      "'id':'K-10001'}],'notes':'Stammkunde seit 15 Jahren, vier Fahrzeuge bei uns gekauft. "
      "Geschäftsführer der Wessling Logistik GmbH (Fuhrpark mit 40 Fahrzeugen).'}" },
    { "PETRA",
      "{'kind':'person','salutation':'Frau','given_name':'Petra','family_name':'Wessling',"
      "'birthday':'@date:-56y-1m','language':'de','emails':[{'address':'petra.wessling@gmx.de',"
      "'label':'private'}],'phones':[{'number':'0172 9981530','label':'mobile'}],'address':"
      WESSLING_HOME ",'preferences':{'contact':'Anruf nachmittags'},"
      "'consents':{'email':'granted','phone':'granted'},'notes':'Hat zum Geburtstag einen MINI "
      "Cooper SE von ihrem Mann bekommen.'}" },
    { "WESSLING_GMBH",
      "{'kind':'company','company_name':'Wessling Logistik GmbH','legal_form':'GmbH',"
      "'vat_id':'DE298314765','language':'de',"
      "'emails':[{'address':'fuhrpark@wessling-logistik.de','label':'fleet'}],"
      "'phones':[{'number':'089 3209 440','label':'office'}],'address':"
      MUNICH("Frankfurter Ring 193", "80807") ",'consents':{'email':'granted','phone':'granted',"
      "'post':'granted'},'external_refs':[{'system':'dms','id':'K-20001'}],"
      "'notes':'Rahmenvertrag Flottenservice; Fuhrparkleitung Dr. Harry Wessling.'}" },
    { "AYLIN",
      "{'kind':'person','salutation':'Frau','given_name':'Aylin','family_name':'Kaya',"
      "'birthday':'@date:-44y+141d','language':'en','emails':[{'address':'aylin.kaya@gmail.com',"
      "'label':'private'}],'phones':[{'number':'0176 23415577','label':'mobile'}],'address':"
      KAYA_HOME ",'preferences':{'contact':'e-mail, in English'},'consents':{'email':'granted',"
      "'sms':'granted'},'external_refs':[{'system':'dms','id':'K-10417'}]}" },
    { "MURAT",
      "{'kind':'person','salutation':'Herr','given_name':'Murat','family_name':'Kaya',"
      "'birthday':'@date:-47y-97d','language':'de','phones':[{'number':'0151 40938812',"
      "'label':'mobile'}],'address':" KAYA_HOME ",'consents':{'phone':'granted'}}" },
    { "DENIZ",
      "{'kind':'person','salutation':'Herr','given_name':'Deniz','family_name':'Kaya',"
      "'birthday':'@date:-18y+63d','language':'de','address':" KAYA_HOME ",'notes':'Wird bald "
      "18; fährt begleitet mit dem Passat der Familie.'}" },
    { "ELIF",
      "{'kind':'person','salutation':'Frau','given_name':'Elif','family_name':'Kaya',"
      "'birthday':'@date:-16y-130d','language':'de','address':" KAYA_HOME "}" },
    { "BECKER",
      "{'kind':'person','salutation':'Herr','given_name':'Jonas','family_name':'Becker',"
      "'birthday':'@date:-38y+12d','language':'de','emails':['jonas.becker@posteo.de'],"
      "'phones':['0160 5512873'],'address':" MUNICH("Tegernseer Landstraße 88", "81539")
      ",'consents':{'email':'granted','phone':'granted'}}" },
    { "SCHMIDT",
      "{'kind':'person','salutation':'none','given_name':'Alex','family_name':'Schmidt',"
      "'language':'de','emails':['alex.schmidt@mailbox.org'],'phones':['0157 33120984'],'address':"
      MUNICH("Gollierstraße 41", "80339") ",'consents':{'email':'granted'},'notes':'Bitte ohne "
      "Anrede ansprechen.'}" },
    { "HUBER_KG",
      "{'kind':'company','company_name':'Bäckerei Huber KG','legal_form':'KG',"
      "'vat_id':'DE131208476','emails':['info@baeckerei-huber.de'],'phones':['089 4411 270'],"
      "'address':" MUNICH("Rosenheimer Straße 145", "81671") "}" },
    { "STEFAN_HUBER",
      "{'kind':'person','salutation':'Herr','given_name':'Stefan','family_name':'Huber',"
      "'language':'de','emails':['stefan@baeckerei-huber.de'],'phones':['0170 3381204'],"
      "'preferences':{'contact':'vor 6 Uhr oder nach 14 Uhr (Backstube)'}}" },
    { "TOBIAS_BRANDL",
      "{'kind':'person','salutation':'Herr','given_name':'Tobias','family_name':'Brandl',"
      "'language':'de','phones':['0152 29087731']}" },
    { "ISAR_PFLEGE",
      "{'kind':'company','company_name':'Isar Pflegedienst GmbH','legal_form':'GmbH',"
      "'vat_id':'DE287650193','emails':['verwaltung@isar-pflege.de'],'phones':['089 7670 3300'],"
      "'address':" MUNICH("Lindwurmstraße 120", "80337") "}" },
    { "SABINE_LECHNER",
      "{'kind':'person','salutation':'Frau','given_name':'Sabine','family_name':'Lechner',"
      "'language':'de','emails':['s.lechner@isar-pflege.de'],'phones':['089 7670 3312']}" },
    { "MEHMET_YILMAZ",
      "{'kind':'person','salutation':'Herr','given_name':'Mehmet','family_name':'Yilmaz',"
      "'language':'de','phones':['0163 7720915']}" },
};

static const struct named households[] = {
    { "WESSLING_HH", "{'name':'Familie Wessling','address':" WESSLING_HOME "}" },
    { "KAYA_HH", "{'name':'Familie Kaya','address':" KAYA_HOME ",'notes':'Korrespondenz an Frau "
                 "Kaya bitte auf Englisch.'}" },
};

static const struct member {
    const char *household, *person, *role;
} members[] = {
    { "WESSLING_HH", "HARRY", "head" },  { "WESSLING_HH", "PETRA", "partner" },
    { "KAYA_HH", "AYLIN", "head" },      { "KAYA_HH", "MURAT", "partner" },
    { "KAYA_HH", "DENIZ", "child" },     { "KAYA_HH", "ELIF", "child" },
};

static const struct company_role {
    const char *company, *person, *roles;
} company_roles[] = {
    { "WESSLING_GMBH", "HARRY", "['fleet_manager','decision_maker']" },
    { "HUBER_KG", "STEFAN_HUBER", "['decision_maker','fleet_manager']" },
    { "HUBER_KG", "TOBIAS_BRANDL", "['driver','employee']" },
    { "ISAR_PFLEGE", "SABINE_LECHNER", "['fleet_manager','employee']" },
    { "ISAR_PFLEGE", "MEHMET_YILMAZ", "['driver','employee']" },
};

#define BOUGHT_HERE "'bought_from_us':true,"

static const struct named vehicles[] = {
    { "H_525D",
      "{'vin':'@vin:WBANN710G','make':'BMW','model':'5er Touring','variant':'525d Touring',"
      "'model_year':'@year:-15y-3m','first_registration':'@date:-15y-2m','powertrain':'diesel',"
      "'mileage_km':148300,'mileage_at':'@date:-10y-1m','owner_id':'@id:HARRY',"
      "'acquisition':'bought_new','acquired_at':'@date:-15y-2m'," BOUGHT_HERE
      "'status':'sold','notes':'Sein erstes Auto bei uns; beim Kauf des 535d in Zahlung "
      "genommen.'}" },
    { "H_535D",
      "{'vin':'@vin:WBAFW710D','make':'BMW','model':'5er Limousine','variant':'535d xDrive',"
      "'model_year':'@year:-10y-2m','first_registration':'@date:-10y-1m','powertrain':'diesel',"
      "'mileage_km':121900,'mileage_at':'@date:-5y-3m','owner_id':'@id:HARRY',"
      "'acquisition':'bought_new','acquired_at':'@date:-10y-1m'," BOUGHT_HERE "'status':'sold'}" },
    { "H_X5",
      "{'vin':'@vin:WBACR610N','plate':'M-HW 530','make':'BMW','model':'X5','variant':'xDrive30d',"
      "'model_year':'@year:-5y-4m','first_registration':'@date:-5y-3m','powertrain':'diesel',"
      "'mileage_km':96400,'mileage_at':'@date:-2m','owner_id':'@id:HARRY',"
      "'main_driver_id':'@id:HARRY','acquisition':'bought_new','acquired_at':'@date:-5y-3m',"
      BOUGHT_HERE "'last_service_at':'@date:-1y-1m','next_service_due':'@date:-12d',"
      "'external_refs':[{'system':'dms','id':'F-30530'}]}" },
    { "H_I4",
      "{'vin':'@vin:WBA71AW00','plate':'M-HW 2022','make':'BMW','model':'i4','variant':'eDrive40 "
      "Gran Coupé','model_year':'@year:-2y-2m','first_registration':'@date:-2y-1m',"
      "'powertrain':'electric','mileage_km':31800,'mileage_at':'@date:-3w','owner_id':'@id:HARRY',"
      "'main_driver_id':'@id:HARRY','acquisition':'bought_new','acquired_at':'@date:-2y-1m',"
      BOUGHT_HERE "'last_service_at':'@date:-1y','next_service_due':'@date:+18d',"
      "'external_refs':[{'system':'dms','id':'F-32022'}]}" },
    { "WL_HARRY",
      "{'vin':'@vin:WBA11FL00','plate':'M-WL 1','make':'BMW','model':'5er Touring',"
      "'variant':'540d xDrive Touring','model_year':'@year:-2y-7m',"
      "'first_registration':'@date:-2y-7m','powertrain':'diesel','mileage_km':68200,"
      "'mileage_at':'@date:-2m','owner_id':'@id:WESSLING_GMBH','main_driver_id':'@id:HARRY',"
      "'acquisition':'leased','acquired_at':'@date:-2y-7m','lease_end':'@date:+5m'," BOUGHT_HERE
      "'last_service_at':'@date:-2m','next_service_due':'@date:+10m','notes':'Dienstwagen von "
      "Dr. Wessling.'}" },
    { "PETRA_MINI",
      "{'vin':'@vin:WMW11DJ02','plate':'M-PW 24','make':'MINI','model':'Cooper SE',"
      "'variant':'Cooper SE 3-Türer, British Racing Green','model_year':'@year:-1m',"
      "'first_registration':'@date:-1m-2d','powertrain':'electric','mileage_km':1150,"
      "'mileage_at':'@date:-2d','owner_id':'@id:PETRA','main_driver_id':'@id:PETRA',"
      "'acquisition':'bought_new','acquired_at':'@date:-1m'," BOUGHT_HERE
      "'next_service_due':'@date:+2y-1m','notes':'Geburtstagsgeschenk von Dr. Harry Wessling.'}" },
    { "KAYA_PASSAT",
      "{'vin':'@vin:WVWZZZ3CE','plate':'M-AK 4711','make':'Volkswagen','model':'Passat Variant',"
      "'variant':'2.0 TDI Comfortline','model_year':'@year:-9y-5m',"
      "'first_registration':'@date:-9y-4m','powertrain':'diesel','mileage_km':183400,"
      "'mileage_at':'@date:-12d','owner_id':'@id:AYLIN','main_driver_id':'@id:MURAT',"
      "'acquisition':'bought_used','acquired_at':'@date:-5y-2m'," BOUGHT_HERE
      "'last_service_at':'@date:-1y-1m','next_service_due':'@date:+9d',"
      "'notes':'Zahnriemenwechsel bei 210.000 km fällig; Familie denkt über einen Nachfolger "
      "nach.'}" },
    { "BECKER_CAR",
      "{'vin':'@vin:WBA7K310R','plate':'M-JB 1187','make':'BMW','model':'1er','variant':'118i',"
      "'model_year':'@year:-5y','first_registration':'@date:-5y+20d','powertrain':'petrol',"
      "'mileage_km':61250,'mileage_at':'@date:-7d','owner_id':'@id:BECKER',"
      "'main_driver_id':'@id:BECKER','acquisition':'bought_used','acquired_at':'@date:-3y-2m',"
      BOUGHT_HERE "'last_service_at':'@date:-7d','next_service_due':'@date:+1y-7d'}" },
    { "SCHMIDT_CAR",
      "{'vin':'@vin:WMW21BR0F','plate':'M-AS 4077','make':'MINI','model':'Countryman',"
      "'variant':'Cooper SE ALL4','model_year':'@year:-4y-6m','first_registration':'@date:-4y-6m',"
      "'powertrain':'plug_in_hybrid','mileage_km':58900,'mileage_at':'@date:-9d',"
      "'owner_id':'@id:SCHMIDT','main_driver_id':'@id:SCHMIDT','acquisition':'bought_used',"
      "'acquired_at':'@date:-1y-5m'," BOUGHT_HERE "'last_service_at':'@date:-1y-5m',"
      "'next_service_due':'@date:-20d'}" },
};

/* A fleet: count generated vehicles of a company, plates <prefix> <first_no + i>. */
struct fleet_model {
    const char *make, *model, *variant, *powertrain;
    const char *vin9; /* WMI + model code + plant, as after "@vin:" */
    int km_per_year, max_age; /* max_age: years the model has been on the market */
};

struct fleet {
    const char *owner, *plate_prefix;
    int first_no, count;
    const char *first_name, *first_driver; /* name and main driver of vehicle 0, or NULL */
    const struct fleet_model *models;
    size_t nmodels;
};

static const struct fleet_model logistics[] = {
    { "Mercedes-Benz", "Sprinter", "317 CDI Kastenwagen", "diesel", "W1V90763D", 42000, 9 },
    { "Volkswagen", "Transporter", "T6.1 Kastenwagen 2.0 TDI", "diesel", "WV1ZZZSHH", 38000, 6 },
    { "BMW", "5er Touring", "520d Touring", "diesel", "WBAJM710F", 36000, 9 },
    { "Ford", "Transit Custom", "2.0 EcoBlue Kastenwagen", "diesel", "WF0YXXTTG", 40000, 9 },
    { "BMW", "iX1", "eDrive20", "electric", "WBA11EF0R", 24000, 3 },
    { "Volkswagen", "ID. Buzz Cargo", "Pro", "electric", "WV1ZZZEBH", 26000, 3 },
    { "BMW", "3er Touring", "320d Touring", "diesel", "WBA5V710M", 35000, 9 },
    { "Mercedes-Benz", "Vito", "116 CDI Kastenwagen", "diesel", "W1V44770V", 39000, 9 },
};

static const struct fleet_model bakery[] = {
    { "Volkswagen", "Caddy Cargo", "2.0 TDI", "diesel", "WV1ZZZSKZ", 30000, 4 },
    { "Mercedes-Benz", "Vito", "114 CDI Kastenwagen", "diesel", "W1V44770V", 32000, 9 },
    { "Renault", "Kangoo", "E-Tech Electric Rapid", "electric", "VF1FW000M", 18000, 3 },
};

static const struct fleet_model care[] = {
    { "MINI", "Cooper SE", "3-Türer", "electric", "WMW11DJ02", 20000, 5 },
    { "Volkswagen", "ID.3", "Pro", "electric", "WVWZZZE1Z", 21000, 5 },
    { "Opel", "Corsa Electric", "GS", "electric", "W0VP5ZKXH", 22000, 5 },
};

#define NMODELS(a) (sizeof a / sizeof a[0])

static const struct fleet fleets[] = {
    /* M-WL 1 is Dr. Wessling's own company car, in vehicles[] */
    { "WESSLING_GMBH", "M-WL", 2, 39, NULL, NULL, logistics, NMODELS(logistics) },
    { "HUBER_KG", "M-BH", 1, 6, "HUBER_VAN", "TOBIAS_BRANDL", bakery, NMODELS(bakery) },
    { "ISAR_PFLEGE", "M-IP", 1, 7, "ISAR_CAR", "MEHMET_YILMAZ", care, NMODELS(care) },
};

#define TP(who, what, rest) "{'customer_id':'@id:" who "','kind':'" what "'," rest "}"

static const char *const touchpoints[] = {
    /* Dr. Wessling: 15 years of purchases, the i4 journey, an overdue X5 */
    TP("HARRY", "purchase", "'vehicle_id':'@id:H_525D','channel':'in_person',"
       "'department':'sales','staff':'K. Brandstätter','occurred_at':'@time:-15y-2m-12d@11:00',"
       "'satisfaction':0.9,'summary':'Kaufvertrag BMW 525d Touring, erster Kauf bei uns.'"),
    TP("HARRY", "purchase", "'vehicle_id':'@id:H_535D','channel':'in_person',"
       "'department':'sales','staff':'K. Brandstätter','occurred_at':'@time:-10y-1m-9d@10:30',"
       "'summary':'Kaufvertrag BMW 535d xDrive; 525d in Zahlung genommen.'"),
    TP("HARRY", "purchase", "'vehicle_id':'@id:H_X5','channel':'in_person','department':'sales',"
       "'staff':'K. Brandstätter','occurred_at':'@time:-5y-3m-14d@15:00','summary':'Kaufvertrag "
       "BMW X5 xDrive30d; 535d in Zahlung genommen.'"),
    TP("HARRY", "purchase", "'vehicle_id':'@id:H_I4','channel':'in_person','department':'sales',"
       "'staff':'S. Ortmann','occurred_at':'@time:-2y-1m-16d@17:00','journey_id':'@journey:I4',"
       "'summary':'Kaufvertrag BMW i4 eDrive40, Wunschkennzeichen M-HW 2022.'"),
    TP("HARRY", "delivery", "'vehicle_id':'@id:H_I4','channel':'in_person','department':'sales',"
       "'staff':'S. Ortmann','occurred_at':'@time:-2y-1m@09:30','journey_id':'@journey:I4',"
       "'satisfaction':1.0,'summary':'Übergabe i4 mit Einweisung Laden und App; Espresso "
       "serviert.'"),
    TP("HARRY", "survey", "'vehicle_id':'@id:H_I4','channel':'email',"
       "'occurred_at':'@time:-2y-1m+6d@08:00','journey_id':'@journey:I4','nps':10,"
       "'satisfaction':1.0,'summary':'Umfrage nach Auslieferung: „Wie immer perfekt betreut.“'"),
    TP("HARRY", "service_visit", "'vehicle_id':'@id:H_I4','channel':'in_person',"
       "'department':'service','staff':'M. Gruber','occurred_at':'@time:-1y@08:10',"
       "'satisfaction':0.9,'summary':'Jahresservice i4, Software-Update, Innenraumfilter.'"),
    TP("HARRY", "phone_call", "'vehicle_id':'@id:H_X5','channel':'phone','direction':'outbound',"
       "'purpose':'service','outcome':'unanswered','department':'service','staff':'L. Meier',"
       "'occurred_at':'@time:-3d@09:10','summary':'Erinnerung an die überfällige Inspektion des "
       "X5; Mailbox besprochen.'"),
    TP("HARRY", "email", "'vehicle_id':'@id:H_X5','channel':'email','direction':'outbound',"
       "'purpose':'service','department':'service','staff':'L. Meier',"
       "'occurred_at':'@time:-3d@09:25','summary':'Drei Terminvorschläge für die Inspektion des "
       "X5 geschickt.'"),
    /* Petra's birthday present, configured by Harry in secret */
    TP("HARRY", "showroom_visit", "'channel':'in_person','department':'sales','staff':'S. "
       "Ortmann','occurred_at':'@time:-2m-5d@17:30','journey_id':'@journey:MINI',"
       "'summary':'Sucht ein Geburtstagsgeschenk für seine Frau: MINI Cooper SE in British "
       "Racing Green konfiguriert. Überraschung, bitte Frau Wessling nicht vorher kontaktieren!'"),
    TP("PETRA", "purchase", "'vehicle_id':'@id:PETRA_MINI','channel':'in_person',"
       "'department':'sales','staff':'S. Ortmann','occurred_at':'@time:-2m+2d@12:00',"
       "'journey_id':'@journey:MINI','summary':'Kaufvertrag MINI Cooper SE durch Dr. Harry "
       "Wessling als Geschenk zum Geburtstag seiner Frau; Übergabe an ihrem Geburtstag.'"),
    TP("PETRA", "delivery", "'vehicle_id':'@id:PETRA_MINI','channel':'in_person',"
       "'department':'sales','staff':'S. Ortmann','occurred_at':'@time:-1m@16:00',"
       "'journey_id':'@journey:MINI','satisfaction':1.0,'summary':'Übergabe an ihrem Geburtstag: "
       "MINI Cooper SE mit Schleife und Blumenstrauß, Einweisung in Laden und App; Harry und "
       "Petra sehr glücklich.'"),
    TP("PETRA", "survey", "'vehicle_id':'@id:PETRA_MINI','channel':'email',"
       "'occurred_at':'@time:-1m+5d@08:00','journey_id':'@journey:MINI','nps':9,"
       "'satisfaction':0.9,'summary':'Umfrage nach Auslieferung: „Die Überraschung ist "
       "gelungen.“'"),
    /* Wessling Logistik: leases ending, fleet service */
    TP("WESSLING_GMBH", "email", "'channel':'email','department':'sales','staff':'S. Ortmann',"
       "'occurred_at':'@time:-5d@07:45','summary':'Dr. Wessling bittet um Anschlussangebote für "
       "die Leasingfahrzeuge, deren Verträge in den nächsten Monaten enden.',"
       "'follow_up':{'text':'Flottenangebot für die auslaufenden Leasingverträge erstellen (iX1, "
       "i5 Touring, eSprinter)','done':false}"),
    TP("HARRY", "phone_call", "'channel':'phone','direction':'outbound','purpose':'sales',"
       "'outcome':'reached','department':'sales','staff':'S. Ortmann',"
       "'occurred_at':'@time:-2d@10:15','summary':'Flottenbesprechung für nächste Woche "
       "vereinbart; Rückruf bitte vormittags.'"),
    TP("HARRY", "service_visit", "'vehicle_id':'@id:WL_HARRY','channel':'in_person',"
       "'department':'service','staff':'M. Gruber','occurred_at':'@time:-2m@07:50',"
       "'satisfaction':0.4,'nps':5,'summary':'Inspektion und Reifenwechsel am Dienstwagen; "
       "zwei Stunden später fertig als zugesagt, Ersatzwagen nicht vorbereitet. Kunde verärgert.'"),
    /* The Kaya family: last year's service, a replacement lead, the next booking */
    TP("MURAT", "service_visit", "'vehicle_id':'@id:KAYA_PASSAT','channel':'in_person',"
       "'department':'reception','staff':'A. Wolf','occurred_at':'@time:-1y-1m@07:40',"
       "'journey_id':'@journey:KAYA_LAST','summary':'Abgabe zur Inspektion an der Annahme, "
       "Ölwechsel und Bremsen prüfen.'"),
    TP("MURAT", "other", "'vehicle_id':'@id:KAYA_PASSAT','channel':'in_person',"
       "'department':'technician','staff':'Werkstatt, T. Huber',"
       "'occurred_at':'@time:-1y-1m@11:20','journey_id':'@journey:KAYA_LAST',"
       "'summary':'Werkstattnotiz: Bremsscheiben vorn knapp über der Verschleißgrenze, "
       "Zahnriemen bei 210.000 km fällig, leichter Ölverlust am Ventildeckel.',"
       "'follow_up':{'text':'Beim nächsten Service Bremsscheiben und -beläge vorn sowie den "
       "Zahnriemen anbieten','done':false}"),
    TP("MURAT", "service_visit", "'vehicle_id':'@id:KAYA_PASSAT','channel':'in_person',"
       "'department':'service','staff':'A. Wolf','occurred_at':'@time:-1y-1m@17:30',"
       "'journey_id':'@journey:KAYA_LAST','satisfaction':0.8,'summary':'Abholung, Rechnung "
       "erklärt, Fahrzeug gewaschen.'"),
    TP("MURAT", "survey", "'vehicle_id':'@id:KAYA_PASSAT','channel':'email',"
       "'occurred_at':'@time:-1y-1m+3d@08:00','journey_id':'@journey:KAYA_LAST','nps':7,"
       "'satisfaction':0.7,'summary':'Umfrage nach dem Service: in Ordnung, aber teuer.'"),
    TP("AYLIN", "showroom_visit", "'channel':'in_person','department':'sales','staff':'S. "
       "Ortmann','occurred_at':'@time:-3w@15:00','summary':'Mit Herrn Kaya im Showroom: "
       "Nachfolger für den Passat gesucht (3er Touring, iX1), Inzahlungnahme gewünscht. Gespräch "
       "auf Englisch.'"),
    TP("AYLIN", "test_drive", "'channel':'in_person','department':'sales','staff':'S. Ortmann',"
       "'occurred_at':'@time:-2w@16:30','satisfaction':0.9,'summary':'Probefahrt BMW iX1 "
       "eDrive20 (Vorführwagen), Familie begeistert vom Platz.'"),
    TP("AYLIN", "phone_call", "'channel':'phone','direction':'outbound','purpose':'sales',"
       "'outcome':'reached','department':'sales','staff':'S. Ortmann',"
       "'occurred_at':'@time:-1w@18:05','summary':'Angebot iX1 mit Inzahlungnahme des Passat "
       "besprochen; Entscheidung nach dem Service.'"),
    TP("AYLIN", "app_booking", "'vehicle_id':'@id:KAYA_PASSAT','channel':'app',"
       "'department':'service','occurred_at':'@time:-2d@21:40','journey_id':'@journey:KAYA_NEXT',"
       "'summary':'Inspektion und HU über die App gebucht, Abgabe 7:30 Uhr; Hinweis: Bremsen "
       "quietschen.'"),
    TP("MURAT", "phone_call", "'vehicle_id':'@id:KAYA_PASSAT','channel':'phone',"
       "'direction':'outbound','purpose':'service','outcome':'unanswered','department':'service',"
       "'staff':'A. Wolf','occurred_at':'@time:-1d@16:45','journey_id':'@journey:KAYA_NEXT',"
       "'summary':'Rückruf wegen Bremsen-Angebot zum gebuchten Termin, nicht erreicht.'"),
    /* Jonas Becker: booked, dropped off, picked up unhappy, complained */
    TP("BECKER", "app_booking", "'vehicle_id':'@id:BECKER_CAR','channel':'app',"
       "'department':'service','occurred_at':'@time:-10d@20:15','journey_id':'@journey:BECKER',"
       "'summary':'Jahresinspektion gebucht, Ersatzwagen gewünscht.'"),
    TP("BECKER", "service_visit", "'vehicle_id':'@id:BECKER_CAR','channel':'in_person',"
       "'department':'reception','staff':'A. Wolf','occurred_at':'@time:-7d@07:35',"
       "'journey_id':'@journey:BECKER','summary':'Abgabe an der Annahme; kein Ersatzwagen "
       "verfügbar, Taxigutschein mitgegeben.'"),
    TP("BECKER", "service_visit", "'vehicle_id':'@id:BECKER_CAR','channel':'in_person',"
       "'department':'service','staff':'M. Gruber','occurred_at':'@time:-7d@18:10',"
       "'journey_id':'@journey:BECKER','satisfaction':0.2,'nps':3,'summary':'Abholung: 90 "
       "Minuten Wartezeit, Fahrzeug nicht gewaschen, Rechnung 180 Euro über dem "
       "Kostenvoranschlag.'"),
    TP("BECKER", "complaint", "'vehicle_id':'@id:BECKER_CAR','channel':'email',"
       "'department':'service','staff':'M. Gruber','occurred_at':'@time:-6d@09:05',"
       "'journey_id':'@journey:BECKER','summary':'Beschwerde: Wartezeit bei der Abholung, "
       "ungewaschenes Fahrzeug, Mehrkosten ohne Rückfrage.','follow_up':{'text':'Serviceleitung "
       "ruft Herrn Becker zurück und bietet Kulanz für die Mehrkosten und eine "
       "Fahrzeugaufbereitung an','done':false}"),
    TP("BECKER", "phone_call", "'vehicle_id':'@id:BECKER_CAR','channel':'phone',"
       "'direction':'outbound','purpose':'recovery','outcome':'unanswered',"
       "'department':'management','staff':'Serviceleitung','occurred_at':'@time:-2d@11:30',"
       "'journey_id':'@journey:BECKER','summary':'Rückruf zur Beschwerde, nicht erreicht; "
       "Mailbox besprochen.'"),
    /* Alex Schmidt, no salutation */
    TP("SCHMIDT", "purchase", "'vehicle_id':'@id:SCHMIDT_CAR','channel':'in_person',"
       "'department':'sales','staff':'K. Brandstätter','occurred_at':'@time:-1y-5m@14:00',"
       "'summary':'Gebrauchtwagenkauf MINI Countryman Cooper SE, Garantie verlängert.'"),
    TP("SCHMIDT", "survey", "'channel':'email','occurred_at':'@time:-1y-4m@08:00','nps':8,"
       "'satisfaction':0.75,'summary':'Umfrage nach dem Kauf: gute Beratung, Übergabe etwas "
       "hektisch.'"),
    TP("SCHMIDT", "email", "'vehicle_id':'@id:SCHMIDT_CAR','channel':'web',"
       "'department':'service','occurred_at':'@time:-9d@19:20','summary':'Kontaktformular: "
       "Räderwechsel mit Einlagerung und Termin für die fällige Inspektion.',"
       "'follow_up':{'text':'Angebot Räderwechsel und Einlagerung schicken','done':true}"),
    /* Small fleets */
    TP("TOBIAS_BRANDL", "service_visit", "'vehicle_id':'@id:HUBER_VAN','channel':'in_person',"
       "'department':'service','staff':'M. Gruber','occurred_at':'@time:-3w@06:30',"
       "'satisfaction':0.6,'summary':'HU/AU und Bremsen hinten; Fahrer hat gewartet.'"),
    TP("STEFAN_HUBER", "survey", "'channel':'email','occurred_at':'@time:-20d@08:00','nps':5,"
       "'satisfaction':0.5,'summary':'Lieferwagen stehen zu lange in der Werkstatt; Wunsch: "
       "Annahme ab 6 Uhr.'"),
    TP("SABINE_LECHNER", "event", "'channel':'in_person','department':'sales','staff':'S. "
       "Ortmann','occurred_at':'@time:-2m+3d@18:00','summary':'Flottentag Elektromobilität im "
       "Pflegedienst besucht.'"),
    TP("SABINE_LECHNER", "phone_call", "'channel':'phone','direction':'outbound',"
       "'purpose':'sales','outcome':'reached','department':'sales','staff':'S. Ortmann',"
       "'occurred_at':'@time:-4d@10:00','summary':'Leasingverträge enden bald; Angebot für zwei "
       "MINI Cooper SE gewünscht.'"),
};

#define MAX_NAMES 64

struct demo {
    struct db *db;
    struct problem *p;
    long today; /* days since 1970-01-01 */
    int year, month, day;
    struct {
        char name[24];
        char id[UTIL_UUID_LEN + 1];
    } names[MAX_NAMES];
    size_t nnames;
    unsigned serial;  /* VIN serial numbers, distinct within the data set */
    const char *what; /* the record being written, for the log */
    int written[4];   /* per entry of hooks[] */
};

enum { CUSTOMER, HOUSEHOLD, VEHICLE, TOUCHPOINT };

static const struct hook {
    const struct model *model;
    int (*before)(struct db *db, const json_t *doc, struct problem *p);
    int (*after)(struct db *db, const json_t *doc, struct problem *p);
} hooks[] = {
    { &model_customer, NULL, store_customer_after_write },
    { &model_household, NULL, NULL },
    { &model_vehicle, store_vehicle_before_write, store_vehicle_after_write },
    { &model_touchpoint, store_touchpoint_before_write, NULL },
};

/* ---- dates ---- */

/* Today shifted by months (clamping the day of the month) and then by days. */
static long
shift(const struct demo *d, long months, long days)
{
    long m0 = d->year * 12L + (d->month - 1) + months;
    int y = (int)(m0 / 12), m = (int)(m0 % 12) + 1;
    long first = datetime_days_from_civil(y, m, 1);
    long len = datetime_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - first;

    return first + (d->day <= len ? d->day : len) - 1 + days;
}

/* Parse SPEC ("-15y-2m+7d") up to its end or '@': 0 with *day and *rest, or -1. */
static int
parse_spec(const struct demo *d, const char *s, long *day, const char **rest)
{
    static const char units[] = "ymwd";
    static const int unit_months[] = { 12, 1, 0, 0 }, unit_days[] = { 0, 0, 7, 1 };
    long months = 0, days = 0;

    while (*s && *s != '@') {
        char *end;
        long n = strtol(s, &end, 10);
        const char *u = *end ? strchr(units, *end) : NULL;
        if (end == s || !u)
            return -1;
        months += n * unit_months[u - units];
        days += n * unit_days[u - units];
        s = end + 1;
    }
    *day = shift(d, months, days);
    *rest = s;
    return 0;
}

static void
date_text(long day, char out[11])
{
    int y, m, dd;

    datetime_civil_from_days(day, &y, &m, &dd);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)dd % 100u);
}

/* ---- names and VINs ---- */

/* The id of name; with create, a new UUID for a name not seen before. NULL if none. */
static char *
lookup(struct demo *d, const char *name, int create)
{
    for (size_t i = 0; i < d->nnames; i++)
        if (strcmp(d->names[i].name, name) == 0)
            return d->names[i].id;
    if (!create || d->nnames == MAX_NAMES || strlen(name) >= sizeof d->names[0].name)
        return NULL;
    snprintf(d->names[d->nnames].name, sizeof d->names[0].name, "%s", name);
    util_uuid(d->names[d->nnames].id);
    return d->names[d->nnames++].id;
}

static int
vin_value(char c)
{
    static const char letters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";
    static const int values[] = { 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4,
                                  5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9 };
    const char *p = strchr(letters, c);

    return c >= '0' && c <= '9' ? c - '0' : p ? values[p - letters] : 0;
}

/* A VIN from model code and plant (vin9), model year and the next serial, with check digit. */
static void
make_vin(struct demo *d, const char *vin9, int year, char out[18])
{
    static const int weights[17] = { 8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2 };
    static const char years[] = "ABCDEFGHJKLMNPRSTVWXY123456789"; /* 1980, 1981, ... */
    unsigned serial = (d->serial++ * 7919u + 100003u) % 1000000u;
    int sum = 0;

    memcpy(out, vin9, 8);
    out[8] = '0';
    out[9] = years[(year - 1980) % 30];
    out[10] = vin9[8];
    for (int i = 16; i >= 11; i--, serial /= 10)
        out[i] = (char)('0' + serial % 10);
    out[17] = '\0';
    for (int i = 0; i < 17; i++)
        sum += vin_value(out[i]) * weights[i];
    out[8] = sum % 11 == 10 ? 'X' : (char)('0' + sum % 11);
}

/* ---- templates ---- */

/* The value of placeholder s (new reference), or NULL with p set. "@vin:" is left to load(). */
static json_t *
placeholder(struct demo *d, const char *s)
{
    char buf[UTIL_TIME_LEN + 1];
    const char *rest, *id;
    long day;
    int h, min, y, m, dd;

    if (!strncmp(s, "@date:", 6) && !parse_spec(d, s + 6, &day, &rest) && !*rest) {
        date_text(day, buf);
        return json_string(buf);
    }
    if (!strncmp(s, "@time:", 6) && !parse_spec(d, s + 6, &day, &rest) &&
        sscanf(rest, "@%2d:%2d", &h, &min) == 2) {
        util_format_time((time_t)day * 86400 + h * 3600 + min * 60, buf);
        return json_string(buf);
    }
    if (!strncmp(s, "@year:", 6) && !parse_spec(d, s + 6, &day, &rest) && !*rest) {
        datetime_civil_from_days(day, &y, &m, &dd);
        return json_integer(y);
    }
    if ((!strncmp(s, "@id:", 4) && (id = lookup(d, s + 4, 0))) ||
        /* journeys are named "journey:NAME" so @journey:BECKER is not customer BECKER's id */
        (!strncmp(s, "@journey:", 9) && (id = lookup(d, s + 1, 1))))
        return json_string(id);
    if (!strncmp(s, "@vin:", 5) && strlen(s) == 14)
        return json_string(s);
    problem_set(d->p, PROBLEM_INTERNAL, "unresolvable placeholder %.60s", s);
    return NULL;
}

static int resolve(struct demo *d, json_t *v);

/* *r: the value replacing e (new reference), or NULL to keep e (resolved inside). */
static int
resolve_member(struct demo *d, json_t *e, json_t **r)
{
    *r = NULL;
    if (!json_is_string(e) || json_string_value(e)[0] != '@')
        return resolve(d, e);
    *r = placeholder(d, json_string_value(e));
    return *r ? 0 : -1;
}

/* Replace the placeholders inside v. */
static int
resolve(struct demo *d, json_t *v)
{
    const char *key;
    json_t *e, *r;
    size_t i;

    json_object_foreach(v, key, e)
    {
        if (resolve_member(d, e, &r) != 0)
            return -1;
        if (r)
            json_object_set_new(v, key, r);
    }
    json_array_foreach(v, i, e)
    {
        if (resolve_member(d, e, &r) != 0)
            return -1;
        if (r)
            json_array_set_new(v, i, r);
    }
    return 0;
}

/* A document from a template (new reference), or NULL with p set. */
static json_t *
load(struct demo *d, const char *tmpl)
{
    char *s = xstrdup(tmpl), vin[18];
    const char *v;
    json_error_t err;
    json_t *doc;

    for (char *c = s; *c; c++)
        if (*c == '\'')
            *c = '"';
    doc = json_loads(s, 0, &err);
    free(s);
    if (!doc) {
        problem_set(d->p, PROBLEM_INTERNAL, "template: %s at column %d", err.text, err.column);
        return NULL;
    }
    if (resolve(d, doc) != 0) {
        json_decref(doc);
        return NULL;
    }
    v = json_string_value(json_object_get(doc, "vin"));
    if (v && !strncmp(v, "@vin:", 5)) {
        make_vin(d, v + 5, (int)json_integer_value(json_object_get(doc, "model_year")), vin);
        json_object_set_new(doc, "vin", json_string(vin));
    }
    return doc;
}

/* ---- writing ---- */

/* Validate, stamp and store doc (stolen) as the API would; remember its id under name. */
static int
put(struct demo *d, size_t hook, json_t *doc, const char *name)
{
    const struct hook *h = &hooks[hook];
    char id[UTIL_UUID_LEN + 1], now[UTIL_TIME_LEN + 1], *named;
    int rc = -1;

    d->what = name ? name : h->model->name;
    if (!doc)
        return -1;
    if (model_validate(h->model, doc, NULL, d->p) == 0) {
        util_uuid(id);
        util_format_time(util_now(), now);
        json_object_set_new(doc, "id", json_string(id));
        json_object_set_new(doc, "created_at", json_string(now));
        json_object_set_new(doc, "updated_at", json_string(now));
        json_object_set_new(doc, "version", json_integer(1));
        if ((!h->before || h->before(d->db, doc, d->p) == 0) &&
            store_insert(d->db, h->model, doc, d->p) == 0 &&
            (!h->after || h->after(d->db, doc, d->p) == 0))
            rc = 0;
    }
    json_decref(doc);
    if (rc == 0 && name) {
        if (!(named = lookup(d, name, 1))) {
            problem_set(d->p, PROBLEM_INTERNAL, "too many names");
            return -1;
        }
        memcpy(named, id, sizeof id);
    }
    d->written[hook] += rc == 0;
    return rc;
}

static int
put_named(struct demo *d, size_t hook, const struct named *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (put(d, hook, load(d, rows[i].json), rows[i].name) != 0)
            return -1;
    return 0;
}

/* The id of an earlier record, or NULL with p set. */
static const char *
id_of(struct demo *d, const char *name)
{
    const char *id = lookup(d, name, 0);

    if (!id)
        problem_set(d->p, PROBLEM_INTERNAL, "no record named %s", name);
    return id;
}

static int
put_relations(struct demo *d)
{
    const char *a, *b;
    json_t *roles;
    int created, rc;

    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
        d->what = members[i].person;
        if (!(a = id_of(d, members[i].household)) || !(b = id_of(d, members[i].person)) ||
            store_household_member_put(d->db, a, b, members[i].role, 0, &created, d->p) != 0)
            return -1;
    }
    for (size_t i = 0; i < sizeof company_roles / sizeof company_roles[0]; i++) {
        d->what = company_roles[i].person;
        if (!(a = id_of(d, company_roles[i].company)) || !(b = id_of(d, company_roles[i].person)) ||
            !(roles = load(d, company_roles[i].roles)))
            return -1;
        rc = store_company_person_put(d->db, a, b, roles, &created, d->p);
        json_decref(roles);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/*
 * Vehicle i of a fleet. Every third is leased for 36 months ending in
 * 1-6 months; the others were bought up to 9 years ago, so the fleet
 * mixes new cars with old high-mileage ones. About one in ten is overdue.
 */
static json_t *
fleet_vehicle(struct demo *d, const struct fleet *f, int i)
{
    const struct fleet_model *m = &f->models[(size_t)i % f->nmodels];
    int leased = i % 3 == 1, y, mo, dd;
    long age = (i * 7 + 3) % 10 % (m->max_age + 1), lease_months = (i / 3) % 6 + 1;
    long lease_end = shift(d, lease_months, 0);
    long acquired = leased ? shift(d, lease_months - 36, 0) : shift(d, -12 * age, -(i * 37 % 300));
    long serviced = d->today - 1 - (i * 53) % 400, seen = d->today - (i * 11) % 60, km;
    char plate[24], vin[18], acq[11], due[11], last[11], end[11], at[11];
    json_t *v;

    if (seen < acquired)
        seen = acquired;
    km = (seen - acquired) * m->km_per_year / 365;
    datetime_civil_from_days(acquired, &y, &mo, &dd);
    make_vin(d, m->vin9, y, vin);
    snprintf(plate, sizeof plate, "%s %d", f->plate_prefix, f->first_no + i);
    date_text(acquired, acq);
    date_text(serviced, last);
    date_text((serviced > acquired ? serviced : acquired) + 365, due);
    date_text(lease_end, end);
    date_text(seen, at);
    v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:b, s:s}",
                  "vin", vin, "plate", plate, "make", m->make, "model", m->model, "variant",
                  m->variant, "model_year", y, "first_registration", acq, "powertrain",
                  m->powertrain, "mileage_km", (json_int_t)km,
                  "mileage_at", at, "owner_id", lookup(d, f->owner, 0), "acquisition",
                  leased ? "leased" : "fleet", "acquired_at", acq, "bought_from_us",
                  !strcmp(m->make, "BMW") || !strcmp(m->make, "MINI"), "next_service_due", due);
    if (serviced > acquired)
        json_object_set_new(v, "last_service_at", json_string(last));
    if (leased)
        json_object_set_new(v, "lease_end", json_string(end));
    if (i == 0 && f->first_driver)
        json_object_set_new(v, "main_driver_id", json_string(lookup(d, f->first_driver, 0)));
    return v;
}

static int
put_fleets(struct demo *d)
{
    for (size_t k = 0; k < sizeof fleets / sizeof fleets[0]; k++) {
        const struct fleet *f = &fleets[k];
        if (!id_of(d, f->owner) || (f->first_driver && !id_of(d, f->first_driver)))
            return -1;
        for (int i = 0; i < f->count; i++)
            if (put(d, VEHICLE, fleet_vehicle(d, f, i), i == 0 ? f->first_name : NULL) != 0)
                return -1;
    }
    return 0;
}

static int
put_all(struct demo *d)
{
    if (put_named(d, CUSTOMER, customers, sizeof customers / sizeof customers[0]) != 0 ||
        put_named(d, HOUSEHOLD, households, sizeof households / sizeof households[0]) != 0 ||
        put_relations(d) != 0 ||
        put_named(d, VEHICLE, vehicles, sizeof vehicles / sizeof vehicles[0]) != 0 ||
        put_fleets(d) != 0)
        return -1;
    for (size_t i = 0; i < sizeof touchpoints / sizeof touchpoints[0]; i++)
        if (put(d, TOUCHPOINT, load(d, touchpoints[i]), NULL) != 0)
            return -1;
    return 0;
}

/* 1 if there is any customer, 0 if none, -1 on error. */
static int
has_customers(struct demo *d)
{
    const char *values[32] = { NULL }; /* no filter set */
    struct store_page page = { .after = 0, .limit = 1 };
    size_t n = 0;
    int any;

    while (store_customer_filters[n].param)
        n++;
    if (n >= sizeof values / sizeof values[0]) {
        problem_set(d->p, PROBLEM_INTERNAL, "more customer filters than values");
        return -1;
    }
    if (store_list(d->db, &model_customer, store_customer_filters, values, &page, d->p) != 0)
        return -1;
    any = json_array_size(page.items) > 0;
    json_decref(page.items);
    return any;
}

static void
log_failure(const struct demo *d)
{
    json_t *e;
    size_t i;

    log_error("demo data not loaded: %s: %s", d->what ? d->what : "database", d->p->detail);
    json_array_foreach(d->p->errors, i, e)
    {
        log_error("demo data: %s: %s", json_string_value(json_object_get(e, "field")),
                  json_string_value(json_object_get(e, "message")));
    }
}

int
demo_load(struct db *db)
{
    struct problem p = { .request_id = "demo" };
    struct demo d = { .db = db, .p = &p };
    int rc;

    d.today = (long)(util_now() / 86400);
    datetime_civil_from_days(d.today, &d.year, &d.month, &d.day);
    if (store_begin_write(db, &p) != 0) {
        log_failure(&d);
        problem_release(&p);
        return -1;
    }
    rc = has_customers(&d);
    if (rc == 1) {
        store_rollback(db);
        log_info("demo data: the database already has customers; nothing loaded");
        rc = 0;
    } else if (rc == 0 && put_all(&d) == 0 && store_commit(db, &p) == 0) {
        log_info("demo data loaded: %d customers, %d households, %d vehicles, %d touchpoints",
                 d.written[CUSTOMER], d.written[HOUSEHOLD], d.written[VEHICLE],
                 d.written[TOUCHPOINT]);
    } else {
        log_failure(&d);
        store_rollback(db);
        rc = -1;
    }
    problem_release(&p);
    return rc;
}
