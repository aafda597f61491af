"""Small real-looking tables (place names and numbers) in many scripts, written here in UTF-8 and
encoded by the tests in the legacy code pages their countries' offices still export."""

from __future__ import annotations

GREEK = """Περιφέρεια;Δήμος;Πληθυσμός;Έκταση (km²)
Αττική;Αθηναίων;643452;38,96
Κεντρική Μακεδονία;Θεσσαλονίκης;317778;19,3
Δυτική Ελλάδα;Πατρέων;215922;333,1
Κρήτη;Ηρακλείου;179302;244,6
Θεσσαλία;Λαρισαίων;162591;335,1
Ήπειρος;Ιωαννιτών;113094;403,3
Νότιο Αιγαίο;Ρόδου;124851;1400,7
Πελοπόννησος;Άργους-Μυκηνών;42022;1000,2
"""

RUSSIAN = """Регион;Город;Население;Площадь (кв. км)
Москва;Москва;13010112;2561,5
Санкт-Петербург;Санкт-Петербург;5601911;1439
Новосибирская область;Новосибирск;1633595;502,7
Свердловская область;Екатеринбург;1544376;468
Республика Татарстан;Казань;1308660;425,3
Нижегородская область;Нижний Новгород;1228199;466,5
Челябинская область;Челябинск;1189525;530
Самарская область;Самара;1173299;541,4
"""

UKRAINIAN = """Область;Місто;Населення
Київська;Біла Церква;208737
Львівська;Львів;717273
Харківська;Харків;1421125
Одеська;Одеса;1010537
Дніпропетровська;Дніпро;968502
Запорізька;Запоріжжя;710052
Житомирська;Житомир;261624
"""

ARABIC = """الولاية;المدينة;عدد السكان
الجزائر;الجزائر العاصمة;2988145
وهران;وهران;1584607
قسنطينة;قسنطينة;938475
صفاقس;صفاقس;330440
الدار البيضاء;الدار البيضاء;3359818
نواكشوط;نواكشوط;958399
انجامينا;انجامينا;1092066
"""

# An Algerian table with both languages, as cp1256 was designed for (its French letters é è à ç).
ARABIC_FRENCH = """Wilaya;الولاية;Commune;البلدية;Population
Alger;الجزائر;Bab El Oued;باب الواد;64732
Tlemcen;تلمسان;Maghnia;مغنية;114634
Béjaïa;بجاية;Akbou;أقبو;52986
Médéa;المدية;Berrouaghia;البرواقية;76240
Sétif;سطيف;El Eulma;العلمة;155038
Béchar;بشار;Kénadsa;القنادسة;13897
"""

HEBREW = """מחוז;עיר;אוכלוסייה
ירושלים;ירושלים;971800
תל אביב;תל אביב-יפו;467900
חיפה;חיפה;285300
הצפון;נצרת;78000
המרכז;ראשון לציון;260000
הדרום;באר שבע;211000
"""

POLISH = """Województwo;Miasto;Ludność;Powierzchnia (km2)
mazowieckie;Warszawa;1863056;517,2
małopolskie;Kraków;804237;326,8
łódzkie;Łódź;658444;293,3
dolnośląskie;Wrocław;674079;292,8
wielkopolskie;Poznań;540146;261,9
pomorskie;Gdańsk;486022;262,0
śląskie;Katowice;286960;164,6
"""

CZECH = """Kraj;Obec;Počet obyvatel
Hlavní město Praha;Praha;1357326
Jihomoravský kraj;Brno;396778
Moravskoslezský kraj;Ostrava;279791
Plzeňský kraj;Plzeň;175219
Jihočeský kraj;České Budějovice;94865
Ústecký kraj;Ústí nad Labem;91982
Královéhradecký kraj;Hradec Králové;92683
Zlínský kraj;Zlín;74255
Kraj Vysočina;Žďár nad Sázavou;20613
"""

TURKISH = """İl;İlçe;Nüfus
İstanbul;Kadıköy;482713
Ankara;Çankaya;944609
İzmir;Karşıyaka;350000
Bursa;Osmangazi;880000
Şanlıurfa;Eyyübiye;390000
Muğla;Bodrum;180000
Eskişehir;Tepebaşı;370000
Diyarbakır;Bağlar;390000
"""

# Western files that must keep their encoding.
FRENCH = """Région;Département;Libellé;Montant (FCFA)
Thiès;Mbour;Équipement d’école « Œuvre », reçu n°5 – été;1 234 500
Dakar;Pikine;Forage à Thiaroye, cœur du quartier;850 000
Saint-Louis;Podor;Réfection du marché — clôture;2 000 000
Kédougou;Saraya;Élève scolarisé à l’école française;45 000
Ziguinchor;Bignona;Pêche et céréales, 2e trimestre;120 000
"""

FRENCH_CAPITALS = """RÉGION;DÉPARTEMENT;COMMUNE;ÉLECTEURS
THIÈS;MBOUR;JOAL-FADIOUTH;23 450
SÉDHIOU;GOUDOMP;DJIBANAR;4 120
KÉDOUGOU;SARAYA;BÉMBOU;3 005
FATICK;FOUNDIOUGNE;DIONEWAR;6 780
"""

# What an old DOS accounting program exports (cp850 has no ’ « » œ: plain quotes and oe).
FRENCH_DOS = """Compte;Libellé;Débit;Crédit
6061;Fournitures non stockables (eau, énergie);1250,00;
6063;Fournitures d'entretien et petit équipement;340,50;
6135;Locations mobilières;;120,00
6226;Honoraires — expert-comptable;900,00;
7061;Prestations de services (cantine scolaire);;4 500,00
""".replace("—", "-")

# ISO-8859-15 (Latin-9): Latin-1 with € œ Œ where Latin-1 has ¤ ½ ¼.
FRENCH_LATIN9 = """Libellé;Prix (€)
Œuvres complètes;12 €
Cœur de ville, sœur de lait;5 €
Manœuvre de l'écluse;3 €
"""

GERMAN = """Bundesland;Stadt;Einwohner;Fläche
Baden-Württemberg;Stuttgart;626275;207,35
Bayern;München;1512491;310,70
Nordrhein-Westfalen;Köln;1084831;405,01
Thüringen;Gößnitz;3402;17,23
Sachsen;Görlitz;56324;67,52
Schleswig-Holstein;Lübeck;216530;214,19
"""

SPANISH_PORTUGUESE = """País;Región;Ciudad;Población
España;Andalucía;Málaga;578460
España;Castilla y León;León;122051
España;Galicia;A Coruña;247376
Brasil;São Paulo;Ribeirão Preto;698259
Brasil;Pará;Belém;1303403
Portugal;Região Centro;Coimbra;140796
"""

WOLOF = """Dëkk;Kër;Wolof;Limu nit
Kaolack;Ndëyi;Jàmm ak xéewal;12 400
Ziguinchor;Cëddo;Ñaari fukk;8 300
Louga;Tëngéej;Gëm sa bopp;5 900
"""

# Names from all over Europe in one Windows file: stays cp1252, whatever the mix.
EUROPE = """Ville;Pays
Zürich;Suisse
São Paulo;Brésil
Kraków;Pologne
Málaga;Espagne
Genève;Suisse
Ålesund;Norvège
Tromsø;Norvège
Jyväskylä;Finlande
Besançon;France
"""
